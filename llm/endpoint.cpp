#include "llm/endpoint.h"

#include <QSettings>
#include <QUrl>
#include <QtGlobal>

namespace cr::llm {

namespace {

const QString group = QStringLiteral("endpoints");

EndpointProfile readProfile(QSettings &s, const QString &name)
{
    EndpointProfile p;
    p.name = name;
    p.url = s.value(QStringLiteral("url")).toString();
    p.model = s.value(QStringLiteral("model")).toString();
    p.keyEnv = s.value(QStringLiteral("key_env")).toString();
    p.concurrency = s.value(QStringLiteral("concurrency"), p.concurrency).toInt();
    p.rpm = s.value(QStringLiteral("rpm"), p.rpm).toInt();
    p.temperature = s.value(QStringLiteral("temperature"), p.temperature).toDouble();
    p.maxTokens = s.value(QStringLiteral("max_tokens"), p.maxTokens).toInt();
    if (s.contains(QStringLiteral("seed")))
        p.seed = s.value(QStringLiteral("seed")).toLongLong();
    p.timeoutSeconds = s.value(QStringLiteral("timeout"), p.timeoutSeconds).toDouble();
    return p;
}

} // namespace

QString EndpointProfile::completionsUrl() const
{
    QString base = url;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    if (base.endsWith(QLatin1String("/chat/completions")))
        return base;
    return base + QStringLiteral("/chat/completions");
}

QString EndpointProfile::apiKey(bool *missing) const
{
    if (missing)
        *missing = false;
    if (keyEnv.isEmpty())
        return {};
    const QString key = qEnvironmentVariable(keyEnv.toLocal8Bit().constData());
    if (missing)
        *missing = key.isEmpty();
    return key;
}

QString EndpointProfile::problem() const
{
    if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\')))
        return QStringLiteral("endpoint name must be non-empty, without / or \\");
    const QUrl u(url);
    if (!u.isValid()
        || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https"))
        || u.host().isEmpty())
        return QStringLiteral("--url must be an http:// or https:// URL");
    if (model.trimmed().isEmpty())
        return QStringLiteral("--model must not be empty");
    if (concurrency < 1 || concurrency > 256)
        return QStringLiteral("--concurrency must be 1..256");
    if (rpm < 0)
        return QStringLiteral("--rpm must be 0 (no limit) or more");
    if (!(temperature >= 0.0 && temperature <= 2.0))
        return QStringLiteral("--temperature must be 0..2");
    if (maxTokens < 1)
        return QStringLiteral("--max-tokens must be 1 or more");
    if (!(timeoutSeconds > 0.0))
        return QStringLiteral("--timeout must be more than 0 seconds");
    return {};
}

QList<EndpointProfile> EndpointStore::all()
{
    QSettings s;
    s.beginGroup(group);
    QList<EndpointProfile> out;
    for (const QString &name : s.childGroups()) {
        s.beginGroup(name);
        out.append(readProfile(s, name));
        s.endGroup();
    }
    return out;
}

std::optional<EndpointProfile> EndpointStore::find(const QString &name)
{
    QSettings s;
    s.beginGroup(group);
    if (!s.childGroups().contains(name))
        return std::nullopt;
    s.beginGroup(name);
    return readProfile(s, name);
}

void EndpointStore::save(const EndpointProfile &p)
{
    QSettings s;
    s.beginGroup(group);
    s.remove(p.name);
    s.beginGroup(p.name);
    s.setValue(QStringLiteral("url"), p.url);
    s.setValue(QStringLiteral("model"), p.model);
    if (!p.keyEnv.isEmpty())
        s.setValue(QStringLiteral("key_env"), p.keyEnv);
    s.setValue(QStringLiteral("concurrency"), p.concurrency);
    s.setValue(QStringLiteral("rpm"), p.rpm);
    s.setValue(QStringLiteral("temperature"), p.temperature);
    s.setValue(QStringLiteral("max_tokens"), p.maxTokens);
    if (p.seed)
        s.setValue(QStringLiteral("seed"), *p.seed);
    s.setValue(QStringLiteral("timeout"), p.timeoutSeconds);
    s.endGroup();
    s.endGroup();
    s.sync();
}

bool EndpointStore::remove(const QString &name)
{
    QSettings s;
    s.beginGroup(group);
    if (!s.childGroups().contains(name))
        return false;
    s.remove(name);
    s.sync();
    return true;
}

} // namespace cr::llm
