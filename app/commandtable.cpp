#include "app/commandtable.h"

#include "app/handlers.h"

namespace cr::app {

const QList<Command> &commands()
{
    // Usage lines are the README's "Command line" block, line for line (tst_commands).
    static const QList<Command> table {
        { QString(),
            QStringLiteral("crisis-review [STUDY] [--rater NAME]        "
                           "GUI (welcome screen without STUDY); --rater signs in\n"
                           "crisis-review --demo [--rater NAME]         "
                           "GUI on a fresh copy of the embedded demo study"),
            runGui, Application::Widgets },
        { QStringLiteral("init"),
            QStringLiteral("crisis-review init STUDY [--protocol FILE] [--title TEXT]"), runInit,
            Application::Core },
        { QStringLiteral("rater add"),
            QStringLiteral("crisis-review rater add STUDY NAME [--kind human|llm] "
                           "[--role rater|adjudicator|researcher]"),
            runRaterAdd, Application::Core },
        { QStringLiteral("rater list"), QStringLiteral("crisis-review rater list STUDY [--json]"),
            runRaterList, Application::Core },
        { QStringLiteral("server add-person"),
            QStringLiteral(
                "crisis-review server add-person URI NAME --role rater|adjudicator|researcher "
                "[--password-file F]"),
            runServerAddPerson, Application::Core },
        { QStringLiteral("jury add"),
            QStringLiteral("crisis-review jury add STUDY NAME --raters LLM,LLM...   "
                           "(mean score of the LLM raters)"),
            runJuryAdd, Application::Core },
        { QStringLiteral("jury list"), QStringLiteral("crisis-review jury list STUDY [--json]"),
            runJuryList, Application::Core },
        { QStringLiteral("jury remove"), QStringLiteral("crisis-review jury remove STUDY NAME"),
            runJuryRemove, Application::Core },
        { QStringLiteral("assign"),
            QStringLiteral("crisis-review assign STUDY --raters NAME,NAME... --per-item K "
                           "[--seed S] [--calibration ITEM_ID,...]"),
            runAssign, Application::Core },
        { QStringLiteral("import"),
            QStringLiteral("crisis-review import STUDY PATH... "
                           "[--format auto|jsonl|csv|benchmark] [--skip-invalid]\n"
                           "                          "
                           "[--split NAME] [--align content|position] [--problems FILE]\n"
                           "                          "
                           "(PATH: files; a folder = the benchmark layout, recursive;\n"
                           "                          "
                           " a rater package or its bundle merges back through the key)"),
            runImport, Application::Core },
        { QStringLiteral("info"), QStringLiteral("crisis-review info STUDY [--json]"), runInfo,
            Application::Core },
        { QStringLiteral("verify"), QStringLiteral("crisis-review verify STUDY [--json] [--head]"),
            runVerify, Application::Core },
        { QStringLiteral("stats"),
            QStringLiteral(
                "crisis-review stats STUDY [--json] [--raters human|llm|all|NAME,NAME] "
                "[--harm-threshold X]\n"
                "                          "
                "[--bootstrap N] [--seed S] [--fleiss-all] [--dataset FILES] "
                "[--split NAMES]\n"
                "                          "
                "[--bands CUT,CUT...] [--category-source consensus|reference|RATER,RATER...]\n"
                "                          "
                "[--empty-label-as-category] [--plan-width W]"),
            runStats, Application::Core },
        { QStringLiteral("disagreements"),
            QStringLiteral("crisis-review disagreements STUDY [--json] [--category ID] "
                           "[--model NAME] [--raters A,B] [--llm]\n"
                           "                                  "
                           "[--threshold X] [--dataset FILES] [--split NAMES]"),
            runDisagreements, Application::Core },
        { QStringLiteral("export"),
            QStringLiteral(
                "crisis-review export STUDY --format long-csv|wide-csv|jsonl|bundle "
                "[--out FILE]\n"
                "                          "
                "[--harm-threshold X] [--category ID,...] [--model NAME,...] "
                "[--split NAME]\n"
                "                          "
                "[--dataset FILE] [--provenance unanimous|majority|adjudicated|reference,...]\n"
                "                          "
                "[--min-raters N] [--raters human|llm|all|NAME,NAME] [--real-names]\n"
                "                          "
                "[--category-source consensus|reference|RATER,RATER...]\n"
                "                          "
                "[--rater NAME]                              (bundle only)\n"
                "                          "
                "[--raw-cells]   (CSV: do not prefix ' to cells starting = + - @ ' tab CR)"),
            runExport, Application::Core },
        { QStringLiteral("sample"),
            QStringLiteral("crisis-review sample STUDY --from POOL.crisis --per dataset|category "
                           "[--n N | --sizes NAME=N,...]\n"
                           "                          "
                           "--seed S [--exclude OTHER.crisis]... [--split NAME]\n"
                           "                          "
                           "[--category-source classifier|RATER]   (per category)"),
            runSample, Application::Core },
        { QStringLiteral("endpoint add"),
            QStringLiteral(
                "crisis-review endpoint add NAME --url URL --model MODEL [--key-env VAR]\n"
                "                          "
                "[--concurrency N] [--rpm N] [--temperature T] [--max-tokens N]\n"
                "                          "
                "[--seed S] [--timeout S]   (the key only from $VAR, never stored)"),
            runEndpointAdd, Application::Core },
        { QStringLiteral("endpoint list"), QStringLiteral("crisis-review endpoint list"),
            runEndpointList, Application::Core },
        { QStringLiteral("endpoint remove"), QStringLiteral("crisis-review endpoint remove NAME"),
            runEndpointRemove, Application::Core },
        { QStringLiteral("llm respond"),
            QStringLiteral(
                "crisis-review llm respond STUDY --endpoint NAME [--runs N] [--dry-run]"),
            runLlmRespond, Application::Core },
        { QStringLiteral("llm classify"),
            QStringLiteral(
                "crisis-review llm classify STUDY --endpoint NAME [--runs N] [--dry-run]"),
            runLlmClassify, Application::Core },
        { QStringLiteral("llm judge"),
            QStringLiteral(
                "crisis-review llm judge STUDY --endpoint NAME [--runs N] [--models M,...] "
                "[--dry-run]"),
            runLlmJudge, Application::Core },
        { QStringLiteral("package"),
            QStringLiteral("crisis-review package STUDY --rater NAME --out FILE.crisis"),
            runPackage, Application::Core },
        { QStringLiteral("server init"),
            QStringLiteral("crisis-review server init URI --title TEXT [--protocol FILE]   "
                           "(an empty PostgreSQL database)"),
            runServerInit, Application::Core },
        { QStringLiteral("publish"),
            QStringLiteral("crisis-review publish STUDY.crisis URI   "
                           "(upload a local study to an empty server study)"),
            runPublish, Application::Core },
        { QStringLiteral("snapshot"),
            QStringLiteral("crisis-review snapshot URI OUT.crisis    "
                           "(a consistent local copy of a server study)"),
            runSnapshot, Application::Core },
        { QStringLiteral("report"),
            QStringLiteral("crisis-review report STUDY --out FILE.pdf|FILE.html [--raters SEL] "
                           "[--harm-threshold X] [--bootstrap N]\n"
                           "                          "
                           "[--seed S] [--category IDS] [--model NAMES] [--split NAMES]\n"
                           "                          "
                           "[--from DATE] [--to DATE] [--confusion REFERENCE:PREDICTED]\n"
                           "                          "
                           "[--dataset FILES]"),
            runReport, Application::Offscreen },
        { QStringLiteral("screenshot"),
            QStringLiteral(
                "crisis-review screenshot STUDY|--demo "
                "--view welcome|study|planning|rating|review|dashboard --out FILE.png\n"
                "                          "
                "[--rater NAME] [--size WxH] [--dark] [--full | --scroll Y]\n"
                "                          "
                "[--dialog shortcuts|protocol|preferences|setup|llm|package|newstudy|export]"),
            runScreenshot, Application::Offscreen },
    };
    return table;
}

const Command *findCommand(const QStringList &args)
{
    const Command *found = nullptr;
    qsizetype foundWords = 0;
    for (const Command &command : commands()) {
        if (command.name.isEmpty())
            continue;
        const QStringList words = command.name.split(QLatin1Char(' '));
        if (words.size() > foundWords && args.mid(0, words.size()) == words) {
            found = &command;
            foundWords = words.size();
        }
    }
    return found;
}

const Command &guiCommand()
{
    return commands().constFirst();
}

QList<const Command *> commandGroup(const QString &word)
{
    QList<const Command *> group;
    for (const Command &command : commands())
        if (!command.name.isEmpty() && command.name.section(QLatin1Char(' '), 0, 0) == word)
            group.append(&command);
    return group;
}

QString usageBlock(const QList<const Command *> &commands)
{
    QStringList lines;
    for (const Command *command : commands)
        lines += command->usage.split(QLatin1Char('\n'));
    return QStringLiteral("usage: ") + lines.join(QStringLiteral("\n       "));
}

QString helpText()
{
    QString text = QStringLiteral(
        "Crisis Review " CR_VERSION " - rate how LLM chatbots respond to people in crisis\n"
        "\n"
        "usage:\n");
    for (const Command &command : commands())
        for (const QString &line : command.usage.split(QLatin1Char('\n')))
            text += QStringLiteral("  ") + line + QLatin1Char('\n');
    text += QStringLiteral(
        "\nexit status: 0 success, 1 usage error, 2 invalid input, 3 storage or I/O error,\n"
        "4 audit log broken (verify)\n");
    return text;
}

} // namespace cr::app
