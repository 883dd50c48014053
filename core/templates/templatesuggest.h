#pragma once

// Which bundled template a session of stems was made with, judged by how many of its files the template's
// tracks name: so that a session opened without a template can start with the one that fits.

#include <QString>
#include <QStringList>

#include <optional>

namespace stemship::templates {

struct TemplateSuggestion {
    QString name;   // bundled template name, for loadTemplate()
    QString title;
    int matched = 0;  // files a track of it names
    int files = 0;
};

// The bundled template that names the most files (of those naming as many, the one with the largest share of
// its tracks present), when it names at least two and at least 60 % of them. A tie on both suggests nothing:
// the choice is the user's. fileNames: names or paths.
std::optional<TemplateSuggestion> suggestTemplate(const QStringList &fileNames);

}  // namespace stemship::templates
