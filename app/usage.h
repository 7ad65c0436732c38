#pragma once

#include <QString>

namespace cr::app {

/// The whole command-line contract, printed by --help and on usage errors.
inline QString usageText()
{
    return QStringLiteral(
        "Crisis Review " CR_VERSION " - rate how LLM chatbots respond to people in crisis\n"
        "\n"
        "usage:\n"
        "  crisis-review [STUDY] [--rater NAME]        open the app (welcome screen without "
        "STUDY)\n"
        "  crisis-review --demo [--rater NAME]         open a fresh copy of the demo study\n"
        "  crisis-review init STUDY [--protocol FILE] [--title TEXT]\n"
        "  crisis-review rater add STUDY NAME [--kind human|llm] [--role "
        "rater|adjudicator|researcher]\n"
        "  crisis-review rater list STUDY [--json]\n"
        "  crisis-review assign STUDY --raters NAME,NAME... --per-item K [--seed S]\n"
        "                             [--calibration ITEM_ID,...]\n"
        "  crisis-review import STUDY PATH... [--format auto|jsonl|csv|benchmark] "
        "[--skip-invalid]\n"
        "                             (PATH: files; a folder = the benchmark layout, recursive)\n"
        "  crisis-review info STUDY [--json]\n"
        "  crisis-review stats STUDY [--json] [--raters human|llm|all|NAME,NAME]\n"
        "                             [--harm-threshold X] [--bootstrap N] [--seed S] "
        "[--fleiss-all]\n"
        "  crisis-review disagreements STUDY [--json] [--category ID] [--model NAME]\n"
        "                             [--raters A,B] [--llm] [--threshold X]\n"
        "  crisis-review export STUDY --format long-csv|wide-csv|jsonl|bundle [--out FILE]\n"
        "                             [--harm-threshold X] [--category ID,...] [--model NAME,...]\n"
        "                             [--split NAME] [--provenance "
        "unanimous|majority|adjudicated|reference,...]\n"
        "                             [--min-raters N] [--raters human|llm|all|NAME,NAME] "
        "[--real-names]\n"
        "                             [--rater NAME]  (bundle: one rater's ratings, real name, for "
        "import)\n"
        "  crisis-review report STUDY --out FILE.pdf [--raters SEL] [--harm-threshold X]\n"
        "                             [--category IDS] [--model NAMES] [--split NAMES] [--from "
        "DATE]\n"
        "                             [--to DATE] [--confusion REFERENCE:PREDICTED]\n"
        "  crisis-review screenshot STUDY|--demo --view welcome|study|rating|review|dashboard\n"
        "                             --out FILE.png [--rater NAME] [--size WxH] [--dark]\n"
        "\n"
        "exit status: 0 success, 1 usage error, 2 invalid input, 3 storage or I/O error\n");
}

} // namespace cr::app
