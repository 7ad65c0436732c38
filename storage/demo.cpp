#include "storage/demo.h"

#include "resources/resources.h"
#include "storage/exposure.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"

namespace cr::storage {

QString demoRaterName()
{
    return QStringLiteral("demo-clinician");
}

std::unique_ptr<Study> createDemoStudy(const QString &path, Error *error)
{
    resources::ensureLoaded();
    auto study = Study::create(
        path, protocol::defaultProtocol(), QStringLiteral("Crisis Review demo study"), error);
    if (!study)
        return nullptr;
    study->setActor(QStringLiteral("demo"));
    ImportReport report;
    if (!Importer(*study).run(
            { resources::demoItemsPath(), resources::demoRatingsPath() }, {}, &report, error))
        return nullptr;
    RaterRepository raters(*study);
    const auto demo = raters.add(demoRaterName(), RaterKind::Human, RaterRole::Rater, error);
    const auto lead = raters.add(
        QStringLiteral("lead-researcher"), RaterKind::Human, RaterRole::Adjudicator, error);
    if (!demo || !lead)
        return nullptr;
    // The clinicians rated everything; the demo rater has every item to do.
    QList<qint64> clinicians;
    for (const Rater &r : raters.all())
        if (r.kind == RaterKind::Human && r.role == RaterRole::Rater && r.id != demo->id)
            clinicians.append(r.id);
    AssignmentRepository assignments(*study);
    if (!clinicians.isEmpty()
        && assignments.assign(clinicians, int(clinicians.size()), 1, {}, error) < 0)
        return nullptr;
    if (assignments.assign({ demo->id }, 1, 2, {}, error) < 0)
        return nullptr;
    // What the clinicians were shown, in their seeded order, so the review page's
    // position-bias check has something to look at.
    const ItemRepository items(*study);
    ExposureRepository exposure(*study);
    for (qint64 clinician : clinicians) {
        for (const Assignment &a : assignments.forRater(clinician)) {
            const QList<Response> responses = items.responses(a.itemId);
            QList<qint64> shown;
            for (int index : presentationOrder(int(responses.size()), a.seed))
                shown.append(responses.at(index).id);
            if (!exposure.recordShown(0, clinician, shown, error))
                return nullptr;
        }
    }
    study->setActor(QStringLiteral("cli"));
    return study;
}

} // namespace cr::storage
