// Roles by construction (issue 16): what each role's main window contains and reaches,
// and that nothing of a rater session shows a model, dataset, external id or another
// rater's name or value.

#include "storage/exposure.h"
#include "storage/review.h"
#include "teststudy.h"
#include "ui/dashboardpage.h"
#include "ui/disagreementmodel.h"
#include "ui/mainwindow.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/reviewpage.h"
#include "ui/rolepolicy.h"
#include "ui/settings.h"
#include "ui/studypage.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPointer>
#include <QRegularExpression>
#include <QSettings>
#include <QShortcut>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QTimer>
#include <algorithm>

using cr::ui::MainWindow;
using namespace cr;
using namespace Qt::StringLiterals;

namespace {

const QString kDataset = QStringLiteral("sentinel-dataset");
const QString kIdPrefix = QStringLiteral("sentinel-ext-");
const QString kBenRationale = QStringLiteral("sentinel-rationale-of-the-other-rater");

/// Every text a person could read on `root` and its children: titles, labels, buttons,
/// edits, combo entries, item views' display and tool-tip data and headers, tool tips,
/// status tips, and every action (menus, toolbars, shortcuts) of the tree.
QStringList readableTexts(QWidget *root)
{
    QStringList out { root->windowTitle() };
    const auto walkModel = [&out](const QAbstractItemModel *m) {
        std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
            for (int r = 0; r < m->rowCount(parent); ++r)
                for (int c = 0; c < m->columnCount(parent); ++c) {
                    const QModelIndex i = m->index(r, c, parent);
                    out << i.data(Qt::DisplayRole).toString() << i.data(Qt::ToolTipRole).toString()
                        << i.data(Qt::AccessibleTextRole).toString();
                    if (c == 0)
                        walk(i);
                }
        };
        walk({});
        for (int c = 0; c < m->columnCount(); ++c)
            out << m->headerData(c, Qt::Horizontal).toString()
                << m->headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString();
    };
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *w : std::as_const(widgets)) {
        if (!w->isVisible() && !qobject_cast<QMenu *>(w))
            continue;
        out << w->toolTip() << w->statusTip() << w->accessibleName() << w->windowTitle();
        if (auto *l = qobject_cast<QLabel *>(w))
            out << l->text();
        if (auto *b = qobject_cast<QAbstractButton *>(w))
            out << b->text();
        if (auto *g = qobject_cast<QGroupBox *>(w))
            out << g->title();
        if (auto *e = qobject_cast<QLineEdit *>(w))
            out << e->text() << e->placeholderText();
        if (auto *t = qobject_cast<QTextEdit *>(w))
            out << t->toPlainText();
        if (auto *t = qobject_cast<QPlainTextEdit *>(w))
            out << t->toPlainText();
        if (auto *c = qobject_cast<QComboBox *>(w))
            for (int i = 0; i < c->count(); ++i)
                out << c->itemText(i);
        if (auto *v = qobject_cast<QAbstractItemView *>(w); v && v->model())
            walkModel(v->model());
    }
    for (QAction *a : root->findChildren<QAction *>())
        out << a->text() << a->toolTip() << a->statusTip() << a->iconText();
    if (auto *window = qobject_cast<QMainWindow *>(root))
        out << window->statusBar()->currentMessage();
    return out;
}

/// What in `texts` names something in `forbidden` (names match as whole words).
QStringList leaks(const QStringList &texts, const QStringList &forbidden)
{
    QStringList found;
    for (const QString &f : forbidden) {
        const QRegularExpression word(
            QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(f)));
        for (const QString &t : texts)
            if (t.contains(word))
                found << QStringLiteral("'%1' in '%2'").arg(f, t.left(120));
    }
    return found;
}

QString plain(QString text)
{
    return text.remove(QLatin1Char('&'));
}

QStringList actionTexts(const QWidget &window)
{
    QStringList out;
    for (QAction *a : window.findChildren<QAction *>())
        if (!a->text().isEmpty())
            out << plain(a->text());
    return out;
}

/// Closes whatever modal dialog an action opened (file dialogs, About), so every action
/// can be triggered from the test.
class ModalCloser final : public QObject {
public:
    ModalCloser()
    {
        connect(&m_timer, &QTimer::timeout, this, [this] {
            if (QWidget *modal = QApplication::activeModalWidget()) {
                m_closed << QString::fromLatin1(modal->metaObject()->className());
                modal->close();
            }
        });
        m_timer.start(30);
    }
    QStringList m_closed;

private:
    QTimer m_timer;
};

} // namespace

class TestRoles : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    int m_studies = 0;

    /// 6 items in kDataset × 3 sentinel models; ana and ben rate every item (overlap),
    /// ben has labelled and rated everything with kBenRationale, ana differs from ben on
    /// item 1; an LLM judge, adjudicator "adj-lee" and researcher "res-kim".
    QString makeStudy()
    {
        const QString dir = m_dir.filePath(QStringLiteral("s%1").arg(++m_studies));
        QDir().mkpath(dir);
        const QString path = QDir(dir).filePath(QStringLiteral("roles.crisis"));
        storage::Error error;
        auto study = storage::Study::create(
            path, protocol::defaultProtocol(), QStringLiteral("Pilot"), &error);
        storage::ImportReport report;
        if (!study
            || !storage::Importer(*study).run(
                { crtest::writeItemsJsonl(
                    dir, 6, QStringLiteral("items.jsonl"), kDataset, kIdPrefix) },
                {}, &report, &error))
            return {};
        storage::RaterRepository raters(*study);
        using storage::RaterKind;
        using storage::RaterRole;
        const auto ana =
            raters.add(QStringLiteral("ana"), RaterKind::Human, RaterRole::Rater, &error);
        const auto ben =
            raters.add(QStringLiteral("ben"), RaterKind::Human, RaterRole::Rater, &error);
        raters.add(QStringLiteral("judge"), RaterKind::Llm, RaterRole::Rater, &error);
        raters.add(QStringLiteral("adj-lee"), RaterKind::Human, RaterRole::Adjudicator, &error);
        raters.add(QStringLiteral("res-kim"), RaterKind::Human, RaterRole::Researcher, &error);
        if (!ana || !ben
            || storage::AssignmentRepository(*study).assign({ ana->id, ben->id }, 2, 5, {}, &error)
                < 0)
            return {};
        storage::RatingRepository ratings(*study);
        storage::ItemRepository items(*study);
        for (const qint64 itemId : items.ids()) {
            const storage::Item item = *items.item(itemId);
            ratings.setCategoryLabel(
                { item.id, ben->id, QStringLiteral("suicidal_ideation"), kBenRationale }, &error);
            for (const storage::Response &r : items.responses(item.id)) {
                storage::ResponseRating rating;
                rating.responseId = r.id;
                rating.raterId = ben->id;
                rating.score = 2;
                rating.rationale = kBenRationale;
                ratings.setResponseRating(rating, &error);
            }
        }
        // A disagreement for the review queue: ana scores the first item's responses 5.
        const storage::Item first = *items.item(items.ids().first());
        ratings.setCategoryLabel({ first.id, ana->id, QStringLiteral("no_crisis"), {} }, &error);
        for (const storage::Response &r : items.responses(first.id)) {
            storage::ResponseRating rating;
            rating.responseId = r.id;
            rating.raterId = ana->id;
            rating.score = 5;
            ratings.setResponseRating(rating, &error);
        }
        // A fixed order seed, so the orders the test compares are always the same ones.
        QSqlQuery seed(study->database());
        seed.exec(u"INSERT INTO meta(key, value) VALUES ('rater_order_seed', '20261201')"_s);
        return error.isError() ? QString() : path;
    }

    /// What a rater of the fixture may never read.
    QStringList forbiddenForAna() const
    {
        QStringList out = crtest::modelNames();
        out << kDataset << kBenRationale << QStringLiteral("ben") << QStringLiteral("judge")
            << QStringLiteral("adj-lee") << QStringLiteral("res-kim");
        for (int i = 1; i <= 6; ++i)
            out << kIdPrefix + QStringLiteral("%1").arg(i, 3, 10, QLatin1Char('0'));
        return out;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }
    void init()
    {
        QSettings().clear();
        cr::ui::Settings().contentNoteAcknowledged = true;
    }

    void theTableDecidesPerRole()
    {
        using cr::ui::Feature;
        using cr::ui::RolePolicy;
        using cr::ui::SessionRole;
        const RolePolicy rater(SessionRole::Rater), adjudicator(SessionRole::Adjudicator),
            researcher(SessionRole::Researcher), owner(SessionRole::Owner);
        for (const Feature f : { Feature::StudyOverview, Feature::SignIn, Feature::ReviewPage,
                 Feature::RevealNames, Feature::Dashboard, Feature::Report, Feature::Import,
                 Feature::Export, Feature::StudySetup, Feature::NewStudy })
            QVERIFY(!rater.allows(f));
        QVERIFY(rater.allows(Feature::RatingPage));
        QVERIFY(rater.allows(Feature::ExportOwnBundle));
        QVERIFY(adjudicator.allows(Feature::ReviewPage));
        QVERIFY(!adjudicator.allows(Feature::RevealNames));
        QVERIFY(!adjudicator.allows(Feature::StudyOverview));
        QVERIFY(!adjudicator.allows(Feature::Dashboard));
        QVERIFY(researcher.allows(Feature::RevealNames));
        QVERIFY(!researcher.allows(Feature::SignIn)); // switching needs reopening
        QVERIFY(owner.allows(Feature::SignIn));
        QVERIFY(!owner.allows(Feature::RevealNames));
    }

    void aRaterReachesOnlyTheirRatingPage()
    {
        m_path = makeStudy();
        QVERIFY(!m_path.isEmpty());
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openStudy(m_path));
        // The master file says plainly that choosing a name is not authentication.
        auto *notice = window.studyPage()->findChild<QLabel *>(QStringLiteral("notAuthentication"));
        QVERIFY(notice && notice->isVisible());
        QVERIFY(notice->text().contains(QStringLiteral("not a sign-in")));
        QVERIFY(window.signIn(QStringLiteral("ana")));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        QCOMPARE(window.policy().role(), cr::ui::SessionRole::Rater);

        // Not created: no overview, review or dashboard page, no action for them.
        QVERIFY(!window.studyPage() && !window.reviewPage() && !window.dashboardPage());
        QVERIFY(window.findChildren<cr::ui::StudyPage *>().isEmpty());
        QVERIFY(window.findChildren<cr::ui::ReviewPage *>().isEmpty());
        QVERIFY(window.findChildren<cr::ui::DashboardPage *>().isEmpty());
        QVERIFY(!window.ratingPage()->overviewAction());
        const QStringList texts = actionTexts(window);
        for (const QString &gone :
            { u"Study Overview"_s, u"Dashboard"_s, u"Import…"_s, u"Import Benchmark Folder…"_s,
                u"Export…"_s, u"Report…"_s, u"Set Up Raters and Assignments…"_s,
                u"Review Disagreements"_s, u"New Study…"_s, u"Open Demo Study"_s })
            QVERIFY2(!texts.contains(gone), qPrintable(gone));
        QVERIFY(texts.contains(u"Export My Ratings…"_s));
        QVERIFY(window.exportOwnBundleAction());
        QVERIFY(!window.exportAction() && !window.dashboardAction() && !window.setupAction()
            && !window.reviewAction());

        // The researcher's shortcuts do nothing here.
        for (const QKeySequence &keys : { QKeySequence(Qt::CTRL | Qt::Key_1),
                 QKeySequence(Qt::CTRL | Qt::Key_2), QKeySequence(Qt::CTRL | Qt::Key_D),
                 QKeySequence(Qt::CTRL | Qt::Key_I), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I),
                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R) }) {
            QTest::keySequence(&window, keys);
            QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        }

        // Every action and shortcut of the window, triggered: still only the rating page,
        // and nothing readable names a model, a dataset, an external id or another rater.
        const QStringList forbidden = forbiddenForAna();
        ModalCloser closer;
        const QStringList leaving = { u"Quit"_s, u"Close Study"_s, u"Open…"_s };
        QStringList triggered;
        QList<QPointer<QAction>> actions;
        for (QAction *a : window.findChildren<QAction *>())
            actions << a; // triggering one may delete another (a menu rebuilt)
        for (const QPointer<QAction> &action : std::as_const(actions)) {
            // Leaving the study (quit, close, open, a recent study) ends the session.
            if (!action || !action->isEnabled() || leaving.contains(plain(action->text()))
                || action->menu() || action->text().endsWith(u".crisis"_s))
                continue;
            triggered << plain(action->text());
            action->trigger();
            QTest::qWait(60);
            QVERIFY2(window.currentPage() == MainWindow::Page::Rating, qPrintable(action->text()));
            QVERIFY(!window.studyPage() && !window.reviewPage() && !window.dashboardPage());
            QStringList all;
            for (QWidget *top : QApplication::topLevelWidgets())
                if (top->isVisible())
                    all << readableTexts(top);
            const QStringList found = leaks(all, forbidden);
            QVERIFY2(found.isEmpty(),
                qPrintable(plain(action->text()) + QStringLiteral(": ") + found.join(u'\n')));
            if (window.ratingPage()->isOnBreak())
                window.ratingPage()->resumeFromBreak();
        }
        QVERIFY(triggered.contains(u"Export My Ratings…"_s));
        QVERIFY(triggered.contains(u"Preferences…"_s));
        for (QShortcut *shortcut : window.findChildren<QShortcut *>()) {
            emit shortcut->activated();
            QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        }

        // The scan sees what is shown: a planted model name is found.
        {
            QLabel planted(crtest::modelNames().first(), window.ratingPage());
            planted.show();
            QVERIFY(!leaks(readableTexts(&window), forbidden).isEmpty());
        }
        // Every item of the session, read as the rater sees it.
        window.ratingPage()->showItem(0);
        for (int i = 0; i < window.ratingPage()->itemCount(); ++i) {
            window.ratingPage()->showItem(i);
            const QStringList found = leaks(readableTexts(&window), forbidden);
            QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        }
        // Switching roles needs reopening the study.
        storage::Error error;
        QVERIFY(!window.signIn(QStringLiteral("res-kim"), &error));
        QVERIFY(error.message.contains(QStringLiteral("open the study again")));
        QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
    }

    void anAdjudicatorReviewsBlindAndOnlyAResearcherReveals()
    {
        const QString path = makeStudy();
        QVERIFY(!path.isEmpty());
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        QVERIFY(window.openStudy(path));
        QVERIFY(window.signIn(QStringLiteral("adj-lee")));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(window.currentPage(), MainWindow::Page::Review);
        QTRY_VERIFY(!window.reviewPage()->isLoading());
        QVERIFY(window.reviewPage()->model()->rowCount() > 0);
        QVERIFY(!window.studyPage() && !window.dashboardPage() && !window.ratingPage());
        const QStringList texts = actionTexts(window);
        for (const QString &gone : { u"Study Overview"_s, u"Dashboard"_s, u"Export…"_s,
                 u"Import…"_s, u"Report…"_s, u"Set Up Raters and Assignments…"_s })
            QVERIFY2(!texts.contains(gone), qPrintable(gone));
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_1));
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_2));
        QCOMPARE(window.currentPage(), MainWindow::Page::Review);

        // Blind: every row, selected in turn, names no model, source or rater.
        QStringList forbidden = crtest::modelNames();
        forbidden << kDataset << QStringLiteral("ana") << QStringLiteral("ben");
        for (int i = 1; i <= 6; ++i)
            forbidden << kIdPrefix + QStringLiteral("%1").arg(i, 3, 10, QLatin1Char('0'));
        cr::ui::ReviewPage *page = window.reviewPage();
        for (int row = 0; row < page->filterModel()->rowCount(); ++row) {
            page->selectRow(row);
            const QStringList found = leaks(readableTexts(&window), forbidden);
            QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        }
        // Models are letters shuffled per item, like the rater's.
        bool sawLetter = false;
        for (const storage::Disagreement &d : page->model()->rows())
            if (d.kind == storage::DisagreementKind::Score) {
                QVERIFY(d.model.isEmpty());
                QVERIFY(!d.responseLetter.isEmpty());
                sawLetter = true;
            }
        QVERIFY(sawLetter);
        QVERIFY(!page->setBlind(false)); // an adjudicator cannot reveal

        // A researcher can, and it is logged.
        QVERIFY(window.openStudy(path));
        QVERIFY(window.signIn(QStringLiteral("res-kim")));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        page = window.reviewPage();
        QTRY_VERIFY(!page->isLoading());
        QVERIFY(page->setBlind(false));
        QTRY_VERIFY(!page->isLoading());
        QSqlQuery q(window.study()->database());
        QVERIFY(
            q.exec(QStringLiteral("SELECT actor FROM event WHERE action = 'review.reveal_names'")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("res-kim"));
        bool named = false;
        for (int row = 0; row < page->model()->rowCount(); ++row)
            named = named || crtest::modelNames().contains(page->model()->row(row).model);
        QVERIFY(named);
        // A researcher reaches the overview and the dashboard, but cannot sign in again.
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_1));
        QCOMPARE(window.currentPage(), MainWindow::Page::Study);
        QVERIFY(!window.studyPage()->raterPicker());
        QVERIFY(window.dashboardAction());
    }

    void eachRaterHasTheirOwnReproducibleOrder()
    {
        const QString path = makeStudy();
        QVERIFY(!path.isEmpty());
        storage::Error error;
        QList<qint64> anaOrder, benOrder;
        quint64 seed = 0;
        {
            MainWindow window;
            QVERIFY(window.openStudy(path));
            QVERIFY(window.signIn(QStringLiteral("ana")));
            storage::AssignmentRepository assignments(*window.study());
            QVERIFY(assignments.orderSeed().has_value()); // recorded in the study
            seed = *assignments.orderSeed();
            const auto ana = storage::RaterRepository(*window.study()).byName(u"ana"_s);
            const auto ben = storage::RaterRepository(*window.study()).byName(u"ben"_s);
            anaOrder = window.ratingPage()->session()->queue();
            for (const storage::Assignment &a : assignments.forRater(ben->id))
                benOrder << a.itemId;
            // Reproducible from the seed: sorted by ratingOrderKey(seed, rater, item).
            for (const auto &[rater, order] :
                { std::pair { ana->id, anaOrder }, std::pair { ben->id, benOrder } }) {
                QList<qint64> expected = order;
                std::sort(expected.begin(), expected.end(), [&](qint64 x, qint64 y) {
                    return storage::ratingOrderKey(seed, rater, x)
                        < storage::ratingOrderKey(seed, rater, y);
                });
                QCOMPARE(order, expected);
            }
        }
        QCOMPARE(anaOrder.size(), 6);
        QVERIFY(anaOrder != benOrder); // each rater their own shuffle
        // Stable across sessions: the same order, the same seed, after reopening.
        auto study = storage::Study::open(path, &error);
        QVERIFY(study);
        QCOMPARE(*storage::AssignmentRepository(*study).orderSeed(), seed);
        QList<qint64> again;
        const auto ana = storage::RaterRepository(*study).byName(u"ana"_s);
        for (const storage::Assignment &a : storage::AssignmentRepository(*study).forRater(ana->id))
            again << a.itemId;
        QCOMPARE(again, anaOrder);
    }
};

QTEST_MAIN(TestRoles)
#include "tst_roles.moc"
