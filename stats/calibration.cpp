#include "stats/calibration.h"

#include "analysis/calibration.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <memory>

namespace cr::stats {

namespace {

using analysis::Estimate;

CalibratedValue calibrated(const analysis::BootstrapInterval &ci, bool bootstrap)
{
    return { valueOf(ci.point), bootstrap ? boundsOf(ci) : bootstrapDisabled() };
}

/// Appends a cell to (*out)[calibration]; its n now, its values when plan.run() has drawn
/// the resamples (`out` must stay in place until then).
void addCell(const QString &category, const analysis::CodeRows &codes,
    analysis::Weighting weighting, IntervalPlan &plan, QList<JudgeCalibration> *out,
    qsizetype calibration)
{
    const auto result = std::make_shared<analysis::Calibration>();
    const qsizetype index = (*out)[calibration].cells.size();
    (*out)[calibration].cells.append({ category, 0, {}, {}, {} });
    plan.custom(
        [&](analysis::SharedBootstrap &shared) {
            return analysis::addCalibration(shared, codes, weighting, result.get());
        },
        [out, calibration, index, result, on = plan.enabled()](
            const std::vector<analysis::BootstrapInterval> &ci) {
            analysis::setCalibration(ci, result.get());
            CalibrationCell &cell = (*out)[calibration].cells[index];
            cell.judge = calibrated(result->judge, on);
            cell.clinicians = calibrated(result->clinicians, on);
            cell.difference = calibrated(result->difference, on);
        });
    (*out)[calibration].cells[index].n = result->units;
}

/// The rows of `rows` over the given columns.
analysis::CodeRows subset(
    const std::vector<std::vector<int>> &rows, const std::vector<int> &columns, int categories)
{
    analysis::CodeRows out;
    out.categories = categories;
    for (const std::vector<int> &r : rows) {
        std::vector<int> &o = out.rows.emplace_back();
        o.reserve(columns.size());
        for (const int c : columns)
            o.push_back(r[std::size_t(c)]);
    }
    return out;
}

/// Columns where the last row (the LLM) and at least two other rows have a code.
std::vector<int> comparableColumns(const std::vector<std::vector<int>> &rows)
{
    std::vector<int> out;
    if (rows.empty())
        return out;
    const std::vector<int> &llm = rows.back();
    for (std::size_t u = 0; u < llm.size(); ++u) {
        if (llm[u] < 0)
            continue;
        int clinicians = 0;
        for (std::size_t r = 0; r + 1 < rows.size(); ++r)
            clinicians += rows[r][u] >= 0;
        if (clinicians >= 2)
            out.push_back(int(u));
    }
    return out;
}

QList<int> humanRows(const QList<storage::Rater> &raters)
{
    QList<int> out;
    for (int r = 0; r < raters.size(); ++r)
        if (raters[r].kind == storage::RaterKind::Human)
            out.append(r);
    return out;
}

/// Appends the LLM's calibration to `out` when it shares units with the clinicians.
void categoryCalibration(const storage::LabelMatrix &m, int llm, const QList<int> &humans,
    IntervalPlan &plan, QList<JudgeCalibration> *out)
{
    const int K = int(m.categories.size());
    std::vector<std::vector<int>> rows;
    for (const int r : humans + QList<int> { llm }) {
        std::vector<int> &row = rows.emplace_back();
        for (int i = 0; i < m.itemIds.size(); ++i)
            row.push_back(m.code(r, i));
    }
    const std::vector<int> columns = comparableColumns(rows);
    if (columns.empty()) // no unit the LLM and two clinicians labelled
        return;
    JudgeCalibration o;
    o.llm = m.raters[llm].name;
    o.kind = QStringLiteral("category");
    const qsizetype at = out->size();
    out->append(o);
    const analysis::CodeRows all = subset(rows, columns, K);
    addCell({}, all, analysis::Weighting::Unweighted, plan, out, at);
    for (int k = 0; k < K; ++k) {
        bool occurs = false;
        for (const std::vector<int> &r : all.rows)
            occurs = occurs || std::find(r.cbegin(), r.cend(), k) != r.cend();
        if (!occurs)
            continue;
        analysis::CodeRows binary = all;
        binary.categories = 2;
        for (std::vector<int> &r : binary.rows)
            for (int &c : r)
                c = c < 0 ? -1 : int(c == k);
        addCell(m.categories[k], binary, analysis::Weighting::Unweighted, plan, out, at);
    }
}

Estimate mean(const std::vector<double> &v)
{
    if (v.empty())
        return Estimate::undefined("no response");
    double s = 0;
    for (const double x : v)
        s += x;
    return Estimate::of(s / double(v.size()));
}

/// Mean LLM score, clinicians' mean and difference per group (responses where the LLM and
/// at least one clinician scored; `group` -1 = left out).
QList<BiasGroup> biasGroups(const std::vector<double> &llm, const std::vector<double> &clinicians,
    const std::vector<int> &group, const QStringList &names)
{
    QList<BiasGroup> out;
    for (int g = 0; g < names.size(); ++g) {
        std::vector<double> a, b, d;
        for (std::size_t i = 0; i < llm.size(); ++i) {
            if (group[i] != g || std::isnan(llm[i]) || std::isnan(clinicians[i]))
                continue;
            a.push_back(llm[i]);
            b.push_back(clinicians[i]);
            d.push_back(llm[i] - clinicians[i]);
        }
        out.append(
            { names[g], int(a.size()), valueOf(mean(a)), valueOf(mean(b)), valueOf(mean(d)) });
    }
    return out;
}

QString positionLabel(int p)
{
    return p < 26 ? QString(QChar(u'A' + p)) : QString::number(p + 1);
}

/// Appends the LLM's calibration to `out` when it shares units with the clinicians.
void scoreCalibration(const storage::ScoreMatrix &m, int llm, const QList<int> &humans,
    const QHash<qint64, storage::ResponseFacts> &facts, IntervalPlan &plan,
    QList<JudgeCalibration> *out)
{
    const int n = int(m.responseIds.size());
    std::vector<std::vector<int>> rows;
    for (const int r : humans + QList<int> { llm }) {
        std::vector<int> &row = rows.emplace_back();
        for (int i = 0; i < n; ++i) {
            const double s = m.score(r, i);
            row.push_back(std::isnan(s) || s != std::floor(s) || s < 1 || s > 5 ? -1 : int(s) - 1);
        }
    }
    const std::vector<int> columns = comparableColumns(rows);
    if (columns.empty()) // no unit the LLM and two clinicians scored
        return;
    const qsizetype at = out->size();
    out->append(JudgeCalibration {});
    JudgeCalibration o;
    o.llm = m.raters[llm].name;
    o.kind = QStringLiteral("score");
    (*out)[at].llm = o.llm;
    (*out)[at].kind = o.kind;
    addCell({}, subset(rows, columns, 5), analysis::Weighting::Quadratic, plan, out, at);
    QStringList categories;
    for (const int c : columns)
        if (!m.categories[c].isEmpty() && !categories.contains(m.categories[c]))
            categories.append(m.categories[c]);
    categories.sort();
    for (const QString &category : categories) {
        std::vector<int> in;
        for (const int c : columns)
            if (m.categories[c] == category)
                in.push_back(c);
        addCell(category, subset(rows, in, 5), analysis::Weighting::Quadratic, plan, out, at);
    }

    // Bias checks over the responses the LLM and at least one clinician scored.
    std::vector<double> judged(std::size_t(n), analysis::kMissing);
    std::vector<double> clinicians(std::size_t(n), analysis::kMissing);
    std::vector<int> position(std::size_t(n), -1);
    std::vector<double> lengths;
    std::vector<int> lengthIndex;
    int positions = 0;
    for (int i = 0; i < n; ++i) {
        double sum = 0;
        int k = 0;
        for (const int h : humans)
            if (const double s = m.score(h, i); !std::isnan(s)) {
                sum += s;
                ++k;
            }
        if (k == 0 || std::isnan(m.score(llm, i)))
            continue;
        judged[std::size_t(i)] = m.score(llm, i);
        clinicians[std::size_t(i)] = sum / k;
        const auto f = facts.constFind(m.responseIds[i]);
        if (f == facts.cend())
            continue;
        position[std::size_t(i)] = f->position;
        positions = std::max(positions, f->position + 1);
        lengths.push_back(double(f->length));
        lengthIndex.push_back(i);
    }
    QStringList positionNames;
    for (int p = 0; p < positions; ++p)
        positionNames.append(positionLabel(p));
    o.byPosition = biasGroups(judged, clinicians, position, positionNames);
    std::vector<int> tercile(std::size_t(n), -1);
    const std::vector<int> t = analysis::terciles(lengths);
    for (std::size_t j = 0; j < t.size(); ++j)
        tercile[std::size_t(lengthIndex[j])] = t[j];
    o.byLength = biasGroups(judged, clinicians, tercile,
        { QStringLiteral("short"), QStringLiteral("medium"), QStringLiteral("long") });

    FamilyBias family;
    family.family = modelFamily(o.llm);
    std::vector<int> same(std::size_t(n), -1);
    for (int i = 0; i < n; ++i) {
        const bool isSame = modelFamily(m.models[i]) == family.family;
        if (isSame && !family.sameFamilyModels.contains(m.models[i]))
            family.sameFamilyModels.append(m.models[i]);
        same[std::size_t(i)] = isSame ? 0 : 1;
    }
    family.sameFamilyModels.sort();
    const QList<BiasGroup> g =
        biasGroups(judged, clinicians, same, { QStringLiteral("same"), QStringLiteral("other") });
    family.nSame = g[0].n;
    family.nOther = g[1].n;
    family.differenceSame = g[0].difference;
    family.differenceOther = g[1].difference;
    JudgeCalibration &c = (*out)[at];
    c.byPosition = o.byPosition;
    c.byLength = o.byLength;
    c.family = family;
}

} // namespace

QString modelFamily(const QString &name)
{
    QString n = name.toLower();
    if (const qsizetype hash = n.indexOf(QLatin1Char('#')); hash >= 0)
        n.truncate(hash);
    static const QList<std::pair<QRegularExpression, QString>> known {
        { QRegularExpression(QStringLiteral("gpt|openai|(^|[^a-z])o[134]($|[^a-z])")),
            QStringLiteral("openai") },
        { QRegularExpression(QStringLiteral("claude|anthropic")), QStringLiteral("anthropic") },
        { QRegularExpression(QStringLiteral("gemini|gemma|palm|google")),
            QStringLiteral("google") },
        { QRegularExpression(QStringLiteral("llama|meta")), QStringLiteral("meta") },
        { QRegularExpression(QStringLiteral("mistral|mixtral")), QStringLiteral("mistral") },
        { QRegularExpression(QStringLiteral("(^|[^a-z])phi")), QStringLiteral("microsoft") },
    };
    for (const auto &[pattern, family] : known)
        if (pattern.match(n).hasMatch())
            return family;
    static const QRegularExpression letters(QStringLiteral("[a-z]+"));
    const QRegularExpressionMatch m = letters.match(n);
    return m.hasMatch() ? m.captured(0) : n;
}

QList<JudgeCalibration> judgeCalibration(const storage::LabelMatrix &labels,
    const storage::ScoreMatrix &scores, const QHash<qint64, storage::ResponseFacts> &facts,
    const BootstrapSettings &bootstrap)
{
    QList<JudgeCalibration> out;
    IntervalPlan plan(bootstrap);
    judgeCalibration(labels, scores, facts, plan, &out);
    plan.run();
    return out;
}

void judgeCalibration(const storage::LabelMatrix &labels, const storage::ScoreMatrix &scores,
    const QHash<qint64, storage::ResponseFacts> &facts, IntervalPlan &plan,
    QList<JudgeCalibration> *out)
{
    const QList<int> labelHumans = humanRows(labels.raters);
    for (int r = 0; r < labels.raters.size(); ++r)
        if (labels.raters[r].kind == storage::RaterKind::Llm)
            categoryCalibration(labels, r, labelHumans, plan, out);
    const QList<int> scoreHumans = humanRows(scores.raters);
    for (int r = 0; r < scores.raters.size(); ++r)
        if (scores.raters[r].kind == storage::RaterKind::Llm)
            scoreCalibration(scores, r, scoreHumans, facts, plan, out);
}

} // namespace cr::stats
