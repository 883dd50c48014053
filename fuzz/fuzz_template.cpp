// Template JSON text -> readTemplate (scan, parse, validate) and, when valid, the writer round trip.

#include "fuzzexpect.h"
#include "templates/templateparser.h"
#include "templates/templatewriter.h"
#include "templates/trackmatcher.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const stemship::templates::TemplateReadResult result = stemship::templates::readTemplate(json);
    for (const auto &problem : result.problems)
        (void)problem.message(QStringLiteral("fuzz.json"));
    if (result.ok()) {
        // Documented: what the writer writes of a valid template reads back valid.
        FUZZ_EXPECT(stemship::templates::readTemplate(stemship::templates::templateToJson(result.tmpl)).ok(),
                    "a valid template's JSON reads back valid");
        (void)stemship::templates::matchTrack(result.tmpl, QStringLiteral("01 Kick In_L (2).wav"));
    }
    return 0;
}
