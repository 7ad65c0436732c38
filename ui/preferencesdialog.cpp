#include "ui/preferencesdialog.h"

#include "ui/settings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cr::ui {

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent)
    , m_breakItems(new QSpinBox(this))
    , m_breakMinutes(new QSpinBox(this))
    , m_blur(new QCheckBox(tr("&Blur message and response text until revealed (Ctrl+R)"), this))
    , m_contentNote(new QCheckBox(tr("Show the &content note at the start of every session"), this))
    , m_reopen(new QCheckBox(tr("Re&open the last study when started without one"), this))
{
    setWindowTitle(tr("Preferences"));
    setAccessibleName(tr("Preferences"));

    m_breakItems->setRange(0, 1000);
    m_breakItems->setSpecialValueText(tr("Never"));
    m_breakItems->setSuffix(tr(" items"));
    m_breakItems->setAccessibleName(tr("Break reminder after this many items"));
    m_breakMinutes->setRange(0, 600);
    m_breakMinutes->setSpecialValueText(tr("Never"));
    m_breakMinutes->setSuffix(tr(" minutes"));
    m_breakMinutes->setAccessibleName(tr("Break reminder after this many minutes"));
    m_blur->setAccessibleName(tr("Blur text by default"));
    m_contentNote->setAccessibleName(tr("Content note at every session"));
    m_reopen->setAccessibleName(tr("Reopen the last study at start"));
    m_reopen->setToolTip(tr("Off: the app starts on the welcome screen, with recent studies."));

    auto *breaks = new QGroupBox(tr("Break Reminder"), this);
    auto *form = new QFormLayout(breaks);
    form->addRow(tr("After &rating:"), m_breakItems);
    form->addRow(tr("Or &after:"), m_breakMinutes);
    auto *hint = new QLabel(
        tr("A short pause screen, whichever comes first. “Never” turns a reminder off."), breaks);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(hint);

    auto *reading = new QGroupBox(tr("Reading"), this);
    auto *readingLayout = new QVBoxLayout(reading);
    readingLayout->addWidget(m_blur);
    readingLayout->addWidget(m_contentNote);

    auto *start = new QGroupBox(tr("Start"), this);
    auto *startLayout = new QVBoxLayout(start);
    startLayout->addWidget(m_reopen);

    auto *buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        save();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
        &PreferencesDialog::restoreDefaults);
    for (QAbstractButton *b : buttons->buttons())
        b->setAccessibleName(b->text().remove(QLatin1Char('&')));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(breaks);
    layout->addWidget(reading);
    layout->addWidget(start);
    layout->addStretch();
    layout->addWidget(buttons);
    load();
}

void PreferencesDialog::load()
{
    const Settings settings;
    m_breakItems->setValue(settings.breakAfterItems);
    m_breakMinutes->setValue(settings.breakAfterMinutes);
    m_blur->setChecked(settings.blurText);
    m_contentNote->setChecked(settings.contentNoteEachSession);
    m_reopen->setChecked(settings.reopenLastStudy);
}

void PreferencesDialog::save()
{
    Settings settings;
    settings.breakAfterItems = m_breakItems->value();
    settings.breakAfterMinutes = m_breakMinutes->value();
    settings.blurText = m_blur->isChecked();
    settings.contentNoteEachSession = m_contentNote->isChecked();
    settings.reopenLastStudy = m_reopen->isChecked();
}

void PreferencesDialog::restoreDefaults()
{
    // Shown only; stored when the dialog is accepted.
    const Settings settings;
    m_breakItems->setValue(settings.breakAfterItems.defaultValue());
    m_breakMinutes->setValue(settings.breakAfterMinutes.defaultValue());
    m_blur->setChecked(settings.blurText.defaultValue());
    m_contentNote->setChecked(settings.contentNoteEachSession.defaultValue());
    m_reopen->setChecked(settings.reopenLastStudy.defaultValue());
}

} // namespace cr::ui
