#include "ui/signinpanel.h"

#include "storage/repositories.h"
#include "storage/study.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace cr::ui {

namespace {

constexpr int RaterNameRole = Qt::UserRole + 1;

} // namespace

SignInPanel::SignInPanel(QWidget *parent)
    : QGroupBox(tr("Rate"), parent)
    , m_picker(new QComboBox(this))
    , m_startButton(new QPushButton(tr("&Start Rating"), this))
    , m_hint(new QLabel(this))
    , m_empty(new QWidget(this))
{
    setAccessibleName(tr("Start rating"));
    auto *pickerLabel = new QLabel(tr("Sign in &as:"), this);
    pickerLabel->setBuddy(m_picker);
    m_picker->setAccessibleName(tr("Rater"));
    m_picker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_startButton->setAccessibleName(tr("Start rating"));
    m_startButton->setDefault(true);
    m_startButton->setAutoDefault(true);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    connect(m_picker, &QComboBox::currentIndexChanged, this, &SignInPanel::updateStartButton);
    connect(m_startButton, &QPushButton::clicked, this, [this] {
        const QVariant id = m_picker->currentData();
        if (id.isValid())
            emit ratingRequested(id.toLongLong());
    });

    // Empty study: say what to do next instead of showing blank tables.
    auto *emptyHint = new QLabel(m_empty);
    emptyHint->setWordWrap(true);
    emptyHint->setText(
        tr("This study has no items yet. Import a JSONL or CSV file of crisis inputs "
           "and model responses to get started, then add raters and assign items "
           "(Study ▸ Set Up Raters and Assignments…)."));
    auto *importButton = new QPushButton(tr("&Import Items and Responses…"), m_empty);
    importButton->setAccessibleName(tr("Import items and responses"));
    connect(importButton, &QPushButton::clicked, this, &SignInPanel::importRequested);
    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->setContentsMargins(0, 0, 0, 0);
    emptyLayout->addWidget(emptyHint);
    emptyLayout->addWidget(importButton, 0, Qt::AlignLeft);

    // Honest about what this is: the master file holds everything, whoever opens it.
    auto *notAuth = new QLabel(
        tr("<b>Choosing a name here is not a sign-in with a password.</b> Anyone who has "
           "this study file can open it and read all of it. Give each rater a rater "
           "package (File ▸ Export ▸ Rater Package…) instead of this file; it holds only "
           "their items and signs them in."),
        this);
    notAuth->setObjectName(QStringLiteral("notAuthentication"));
    notAuth->setWordWrap(true);
    notAuth->setTextFormat(Qt::RichText);
    notAuth->setAccessibleName(tr("Choosing a name is not authentication"));
    auto *layout = new QVBoxLayout(this);
    auto *pickerRow = new QHBoxLayout;
    pickerRow->addWidget(pickerLabel);
    pickerRow->addWidget(m_picker, 1);
    layout->addLayout(pickerRow);
    layout->addWidget(m_startButton);
    layout->addWidget(m_hint);
    layout->addWidget(notAuth);
    layout->addWidget(m_empty);
    setFocusProxy(m_picker);
    updateStartButton();
}

void SignInPanel::setRaters(
    storage::Study *study, const QHash<QString, qint64> &assigned, const QString &preferred)
{
    const QString keep = selectedRaterName().isEmpty() ? preferred : selectedRaterName();
    {
        const QSignalBlocker blocker(m_picker);
        m_picker->clear();
        if (study) {
            const QLocale locale;
            for (const storage::Rater &rater : storage::RaterRepository(*study).all()) {
                if (rater.kind != storage::RaterKind::Human)
                    continue;
                // A rater not in `assigned` (the counts are still being read): the name only.
                const auto n = assigned.constFind(rater.name);
                const QString work = n == assigned.cend() ? QString()
                    : *n == 1                             ? tr("1 item")
                                                          : tr("%1 items").arg(locale.toString(*n));
                m_picker->addItem(
                    work.isEmpty() ? rater.name : rater.name + QStringLiteral(" — ") + work,
                    rater.id);
                m_picker->setItemData(m_picker->count() - 1, rater.name, RaterNameRole);
            }
            const int index = m_picker->findData(keep, RaterNameRole);
            m_picker->setCurrentIndex(index >= 0 ? index : (m_picker->count() > 0 ? 0 : -1));
        }
    }
    updateStartButton();
}

void SignInPanel::setEmptyStudy(bool empty)
{
    m_empty->setVisible(empty);
}

void SignInPanel::selectRater(const QString &name)
{
    const int index = m_picker->findData(name, RaterNameRole);
    if (index >= 0)
        m_picker->setCurrentIndex(index);
}

QString SignInPanel::selectedRaterName() const
{
    return m_picker->currentData(RaterNameRole).toString();
}

void SignInPanel::updateStartButton()
{
    const bool hasRaters = m_picker->count() > 0;
    m_picker->setEnabled(hasRaters);
    m_startButton->setEnabled(hasRaters && m_picker->currentIndex() >= 0);
    if (!hasRaters)
        m_hint->setText(tr("No people are registered as raters in this study yet. Add them and "
                           "assign items with Study ▸ Set Up Raters and Assignments… (the "
                           "“Set Up Raters and Assignments…” button on this page)."));
    else
        m_hint->setText(tr("Raters see one crisis message at a time with its responses, blinded "
                           "and shuffled, and only their own work."));
}

} // namespace cr::ui
