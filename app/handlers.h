#pragma once

#include "app/command.h"

#include <QJsonValue>

namespace cr::protocol {
struct Protocol;
}
namespace cr::storage {
struct VerifyResult;
}

namespace cr::app {

// The handlers of the command table (commandtable.cpp), one file per command or group.
// Each gets the arguments after its command's words and returns the exit status.

/// `crisis-review [STUDY | --demo] [--rater NAME]`: the main window (gui.cpp).
int runGui(const Invocation &call);
/// `screenshot`: one page rendered to PNG without a display (screenshot.cpp).
int runScreenshot(const Invocation &call);

/// The arguments of `init` and `server init`: STUDY [--protocol FILE] [--title TEXT]. Sets
/// the protocol (the default without --protocol) and the title (null without --title);
/// returns ExitOk or the exit status of the usage / protocol error it printed.
int parseInitOptions(
    const Invocation &call, QStringList *pos, protocol::Protocol *proto, QString *title);
/// `init`, `rater add`, `rater list`, `assign` (studycommands.cpp).
int runInit(const Invocation &call);
int runRaterAdd(const Invocation &call);
int runRaterList(const Invocation &call);
int runAssign(const Invocation &call);

/// `server add-person`: a login role for one person on a study server (personcommand.cpp).
int runServerAddPerson(const Invocation &call);

/// `jury add`, `jury list`, `jury remove`: rater groups scored by their mean (jurycommands.cpp).
int runJuryAdd(const Invocation &call);
int runJuryList(const Invocation &call);
int runJuryRemove(const Invocation &call);

/// `endpoint add|list|remove`: LLM endpoint profiles in settings; `llm respond|classify|
/// judge`: runs against one (llmcommands.cpp).
int runEndpointAdd(const Invocation &call);
int runEndpointList(const Invocation &call);
int runEndpointRemove(const Invocation &call);
int runLlmRespond(const Invocation &call);
int runLlmClassify(const Invocation &call);
int runLlmJudge(const Invocation &call);

/// `sample`: a stratified seeded draw from a pool study (samplecommand.cpp).
int runSample(const Invocation &call);

/// `import` with its progress line (importcommand.cpp).
int runImport(const Invocation &call);
/// `info`, text or JSON (infocommand.cpp).
int runInfo(const Invocation &call);
/// `verify`: the audit log's chain, triggers and replay (verifycommand.cpp).
int runVerify(const Invocation &call);
/// The first broken event of a check as JSON ({id, at, action} or null), for `verify`
/// and `info` (verifycommand.cpp).
QJsonValue brokenEventJson(const storage::VerifyResult &result);
/// `stats` (statscommand.cpp).
int runStats(const Invocation &call);
/// `disagreements`, the review queue (disagreements.cpp).
int runDisagreements(const Invocation &call);
/// `export` (exportcommand.cpp).
int runExport(const Invocation &call);
/// `package`: a rater package of a study (packagecommand.cpp).
int runPackage(const Invocation &call);
/// `server init`, `publish`, `snapshot`: studies on a PostgreSQL server (servercommands.cpp).
int runServerInit(const Invocation &call);
int runPublish(const Invocation &call);
int runSnapshot(const Invocation &call);
/// `report`: the dashboard's PDF without a window; progress on stderr (reportcommand.cpp).
int runReport(const Invocation &call);

} // namespace cr::app
