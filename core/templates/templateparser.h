#pragma once

// Reads and checks "stemship-template/1" JSON (docs/template-format.md) with precise, located problems.

#include "templates/sessiontemplate.h"
#include "util/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace stemship::templates {

inline constexpr auto kTemplateFormat = "stemship-template/1";

// Input limits: hostile or broken files get one clean problem, never a crash or a huge allocation.
struct TemplateLimits {
    static constexpr qint64 maxFileBytes = 1 << 20;  // 1 MiB
    static constexpr int maxDepth = 32;              // nesting of objects/arrays, checked by a byte scan first
    static constexpr int maxTracks = 1000;
    static constexpr int maxGroups = 256;
    static constexpr int maxBuses = 256;
    static constexpr int maxListItems = 64;          // aliases, patterns, sends per track
    static constexpr int maxStringChars = 1024;
    static constexpr int maxPatternChars = 256;
};

// One mistake: where (JSON pointer, RFC 6901, and the line when known) and what.
struct TemplateProblem {
    QString pointer;  // "/tracks/3/colour"; empty = the whole document
    int line = 0;     // 1-based; 0 = unknown
    QString what;

    QString where() const;                               // "/tracks/3/colour (line 42)"
    QString text() const;                                // "where: what"
    QString message(const QString &fileName) const;      // "FILE: where: what" (CLI-CONTRACT validate)
};

// One line for a list of problems: the first one's text, then " (and N more)" when there are others.
QString problemsSummary(const QList<TemplateProblem> &problems);

struct TemplateReadResult {
    SessionTemplate tmpl;              // meaningful only when problems is empty
    QList<TemplateProblem> problems;   // every mistake found, in document order where possible
    bool ok() const { return problems.isEmpty(); }
};

// Parses and validates; collects all problems (structure, types, keys, routing, names, colours, patterns).
TemplateReadResult readTemplate(const QByteArray &json);

// Every problem of a template file's text (empty = valid).
QList<TemplateProblem> validateTemplate(const QByteArray &json);

// The template, or an Error{fileName, "where: what (and N more problems)", ErrorCode::InvalidTemplate}.
Result<SessionTemplate> parseTemplate(const QByteArray &json, const QString &fileName);

// Semantic checks on a model (routing, cycles, duplicates, colours, patterns, names); pointers name the
// JSON location the model came from. Used by the parser and for templates learnt by import.
QList<TemplateProblem> checkTemplate(const SessionTemplate &tmpl);

bool isValidColour(const QString &colour);  // "#RRGGBB"

}  // namespace stemship::templates
