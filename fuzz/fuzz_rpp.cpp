// REAPER project text -> importRppText (and the tokenizer on every line).

#include "templates/rppimport.h"
#include "templates/templateparser.h"
#include "templates/templatewriter.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    auto imported = stemship::templates::importRppText(text, QStringLiteral("fuzz.RPP"));
    if (imported.ok())
        (void)stemship::templates::readTemplate(stemship::templates::templateToJson(*imported));
    const qsizetype firstLine = text.indexOf('\n');
    (void)stemship::templates::rppTokens(firstLine < 0 ? text : text.left(firstLine));
    return 0;
}
