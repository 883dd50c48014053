#include "templatestore.h"

#include "io/boundedread.h"
#include "templates/templateparser.h"
#include "util/bundledfolder.h"
#include "util/datadir.h"

namespace stemship::templates {

namespace {
BundledFolder bundledFolder() { return BundledFolder{stemshipTemplatesDir(), QStringLiteral("template")}; }
}  // namespace

QStringList listTemplates() { return bundledFolder().names(); }

QList<TemplateInfo> bundledTemplates()
{
    QList<TemplateInfo> infos;
    for (const QString &name : listTemplates()) {
        TemplateInfo info;
        info.name = name;
        info.path = bundledTemplatePath(name);
        const Result<QByteArray> bytes = readTemplateFile(info.path);
        if (!bytes) {
            info.problem = bytes.error().what;
            infos.append(info);
            continue;
        }
        const TemplateReadResult read = readTemplate(*bytes);
        if (!read.ok())
            info.problem = read.problems.first().text();
        info.title = read.tmpl.title;
        info.description = read.tmpl.description;
        info.trackCount = int(read.tmpl.tracks.size());
        info.tempoBpm = read.tmpl.tempoBpm;
        info.timeSignature = QStringLiteral("%1/%2").arg(read.tmpl.timeSignature.numerator).arg(read.tmpl.timeSignature.denominator);
        infos.append(info);
    }
    return infos;
}

QString bundledTemplatePath(const QString &name) { return bundledFolder().pathOf(name); }

Result<QString> resolveTemplate(const QString &nameOrFile) { return bundledFolder().resolve(nameOrFile); }

Result<QByteArray> readTemplateFile(const QString &path)
{
    return io::readBoundedFile(path, TemplateLimits::maxFileBytes,
                               QStringLiteral("file is larger than the %1 bytes allowed for a template").arg(TemplateLimits::maxFileBytes));
}

Result<SessionTemplate> loadTemplate(const QString &nameOrFile)
{
    const Result<QString> path = resolveTemplate(nameOrFile);
    if (!path)
        return path.error();
    const Result<QByteArray> bytes = readTemplateFile(*path);
    if (!bytes)
        return bytes.error();
    return parseTemplate(*bytes, *path);
}

}  // namespace stemship::templates
