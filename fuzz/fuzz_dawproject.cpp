// project.xml text -> importDawProjectXml; a NUL byte splits the input into project.xml and metadata.xml.

#include "templates/dawprojectimport.h"
#include "templates/templateparser.h"
#include "templates/templatewriter.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray all(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype split = all.indexOf('\0');
    const QByteArray project = split < 0 ? all : all.left(split);
    const QByteArray metadata = split < 0 ? QByteArray() : all.mid(split + 1);
    auto imported = stemship::templates::importDawProjectXml(project, metadata, QStringLiteral("fuzz.dawproject"));
    if (imported.ok())
        (void)stemship::templates::readTemplate(stemship::templates::templateToJson(*imported));
    return 0;
}
