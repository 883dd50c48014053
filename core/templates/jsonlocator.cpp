#include "jsonlocator.h"

#include <QList>
#include <QStringList>

namespace stemship::templates {
namespace {
struct Frame {
    bool isObject = false;
    bool expectKey = true;
    int index = 0;
    QString key;
};

QString currentPointer(const QList<Frame> &stack)
{
    QString pointer;
    for (const Frame &frame : stack) {
        pointer += QLatin1Char('/');
        pointer += frame.isObject ? pointerSegment(frame.key) : QString::number(frame.index);
    }
    return pointer;
}

// Reads the string starting at json[i] == '"'; returns the index just past its closing quote.
qsizetype readString(const QByteArray &json, qsizetype i, QByteArray *raw)
{
    const qsizetype n = json.size();
    ++i;
    while (i < n && json[i] != '"') {
        if (json[i] == '\\' && i + 1 < n) {
            const char esc = json[i + 1];
            switch (esc) {
            case 'n': raw->append('\n'); break;
            case 't': raw->append('\t'); break;
            case 'u': raw->append('?'); break;  // keys with \u escapes are rare; the line stays approximate
            default: raw->append(esc); break;
            }
            i += 2;
            continue;
        }
        raw->append(json[i]);
        ++i;
    }
    return i + 1;
}
}  // namespace

QString pointerSegment(const QString &key)
{
    QString escaped = key;
    escaped.replace(QLatin1Char('~'), QStringLiteral("~0"));
    escaped.replace(QLatin1Char('/'), QStringLiteral("~1"));
    return escaped;
}

int JsonScan::lineOf(const QString &pointer) const
{
    QString p = pointer;
    while (true) {
        const auto it = lines.constFind(p);
        if (it != lines.constEnd())
            return it.value();
        if (p.isEmpty())
            return 0;
        p.truncate(p.lastIndexOf(QLatin1Char('/')));
    }
}

int lineAtOffset(const QByteArray &json, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, json.size());
    return int(std::count(json.constBegin(), json.constBegin() + offset, '\n')) + 1;
}

JsonScan scanJson(const QByteArray &json, int maxDepth)
{
    JsonScan scan;
    QList<Frame> stack;
    int line = 1;
    bool inScalar = false;
    const qsizetype n = json.size();
    // Memory stays bounded whatever the text holds: long pointers and entries past the cap get no line of
    // their own (lineOf() then answers with the nearest recorded ancestor).
    constexpr qsizetype maxPointerChars = 1024;
    constexpr qsizetype maxEntries = 200000;
    auto valueStarts = [&]() {
        if (!stack.isEmpty() && stack.last().isObject && stack.last().expectKey)
            return;  // malformed; QJsonDocument will say so
        if (scan.lines.size() >= maxEntries)
            return;
        qsizetype chars = 0;
        for (const Frame &frame : stack)
            chars += 1 + (frame.isObject ? frame.key.size() : 10);
        if (chars > maxPointerChars)
            return;
        scan.lines.insert(currentPointer(stack), line);
    };
    for (qsizetype i = 0; i < n;) {
        const char c = json[i];
        if (c == '\n')
            ++line;
        if (c == '"') {
            inScalar = false;
            QByteArray raw;
            const qsizetype end = readString(json, i, &raw);
            line += int(std::count(json.constBegin() + i, json.constBegin() + std::min(end, n), '\n'));
            if (!stack.isEmpty() && stack.last().isObject && stack.last().expectKey)
                stack.last().key = QString::fromUtf8(raw);
            else
                valueStarts();
            i = end;
            continue;
        }
        switch (c) {
        case '{':
        case '[':
            inScalar = false;
            valueStarts();
            if (stack.size() >= maxDepth) {
                scan.tooDeep = true;
                scan.tooDeepLine = line;
                return scan;
            }
            stack.append(Frame{c == '{', true, 0, {}});
            break;
        case '}':
        case ']':
            inScalar = false;
            if (!stack.isEmpty())
                stack.removeLast();
            break;
        case ':':
            inScalar = false;
            if (!stack.isEmpty() && stack.last().isObject)
                stack.last().expectKey = false;
            break;
        case ',':
            inScalar = false;
            if (!stack.isEmpty()) {
                stack.last().expectKey = true;
                ++stack.last().index;
            }
            break;
        case ' ':
        case '\t':
        case '\r':
        case '\n':
            inScalar = false;
            break;
        default:
            if (!inScalar)
                valueStarts();
            inScalar = true;
            break;
        }
        ++i;
    }
    return scan;
}

}  // namespace stemship::templates
