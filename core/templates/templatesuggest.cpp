#include "templates/templatesuggest.h"

#include "templates/templatestore.h"
#include "templates/trackmatcher.h"

#include <QSet>

namespace stemship::templates {

std::optional<TemplateSuggestion> suggestTemplate(const QStringList &fileNames)
{
    if (fileNames.size() < 2)
        return std::nullopt;
    std::optional<TemplateSuggestion> best;
    double bestCoverage = 0.0;
    bool tie = false;
    for (const TemplateInfo &info : bundledTemplates()) {
        if (!info.problem.isEmpty())
            continue;
        auto loaded = loadTemplate(info.path);
        if (!loaded)
            continue;
        const TrackMatcher matcher(*loaded);
        int matched = 0;
        QSet<int> tracks;
        for (const QString &file : fileNames) {
            if (const auto m = matcher.match(file)) {
                ++matched;
                tracks.insert(m->index);
            }
        }
        // More files named first; then the template the session fills best (a small template all of whose
        // tracks are here over a large one that names the same files).
        const double coverage = loaded->tracks.isEmpty() ? 0.0 : double(tracks.size()) / double(loaded->tracks.size());
        if (!best || matched > best->matched || (matched == best->matched && coverage > bestCoverage)) {
            best = TemplateSuggestion{info.name, info.title, matched, int(fileNames.size())};
            bestCoverage = coverage;
            tie = false;
        } else if (matched == best->matched && coverage == bestCoverage) {
            tie = true;
        }
    }
    // At least 60 %: most of the session, so a template that names one kick in a folder of twenty is no guess.
    if (!best || tie || best->matched < 2 || best->matched * 5 < best->files * 3)
        return std::nullopt;
    return best;
}

}  // namespace stemship::templates
