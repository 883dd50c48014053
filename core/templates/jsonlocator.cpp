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

namespace {

// The scan's state: the open objects and arrays, the current line, and whether a bare scalar is being read.
class Scanner {
public:
    Scanner(const QByteArray &json, int maxDepth) : m_json(json), m_maxDepth(maxDepth) {}

    JsonScan run()
    {
        const qsizetype n = m_json.size();
        for (qsizetype i = 0; i < n;) {
            const char c = m_json[i];
            if (c == '\n')
                ++m_line;
            if (c == '"') {
                i = string(i);
                continue;
            }
            if (!character(c))
                break;
            ++i;
        }
        return m_scan;
    }

private:
    bool expectingKey() const { return !m_stack.isEmpty() && m_stack.last().isObject && m_stack.last().expectKey; }

    // Memory stays bounded whatever the text holds: long pointers and entries past the cap get no line of
    // their own (lineOf() then answers with the nearest recorded ancestor).
    void valueStarts()
    {
        constexpr qsizetype maxPointerChars = 1024;
        constexpr qsizetype maxEntries = 200000;
        if (expectingKey())
            return;  // malformed; QJsonDocument will say so
        if (m_scan.lines.size() >= maxEntries)
            return;
        qsizetype chars = 0;
        for (const Frame &frame : m_stack)
            chars += 1 + (frame.isObject ? frame.key.size() : 10);
        if (chars > maxPointerChars)
            return;
        m_scan.lines.insert(currentPointer(m_stack), m_line);
    }

    // A string at json[i]: an object's key, or a value. Returns the index past it.
    qsizetype string(qsizetype i)
    {
        m_inScalar = false;
        QByteArray raw;
        const qsizetype end = readString(m_json, i, &raw);
        m_line += int(std::count(m_json.constBegin() + i, m_json.constBegin() + std::min(end, m_json.size()), '\n'));
        if (expectingKey())
            m_stack.last().key = QString::fromUtf8(raw);
        else
            valueStarts();
        return end;
    }

    // Any character outside a string; false when nesting passes maxDepth and the scan stops.
    bool character(char c)
    {
        const bool scalar = c != '{' && c != '[' && c != '}' && c != ']' && c != ':' && c != ',' && c != ' ' && c != '\t'
                         && c != '\r' && c != '\n';
        if (scalar && !m_inScalar)
            valueStarts();
        m_inScalar = scalar;
        if (c == '{' || c == '[')
            return open(c == '{');
        if ((c == '}' || c == ']') && !m_stack.isEmpty())
            m_stack.removeLast();
        else if (c == ':' && !m_stack.isEmpty() && m_stack.last().isObject)
            m_stack.last().expectKey = false;
        else if (c == ',' && !m_stack.isEmpty()) {
            m_stack.last().expectKey = true;
            ++m_stack.last().index;
        }
        return true;
    }

    bool open(bool isObject)
    {
        valueStarts();
        if (m_stack.size() >= m_maxDepth) {
            m_scan.tooDeep = true;
            m_scan.tooDeepLine = m_line;
            return false;
        }
        m_stack.append(Frame{isObject, true, 0, {}});
        return true;
    }

    const QByteArray &m_json;
    int m_maxDepth = 0;
    JsonScan m_scan;
    QList<Frame> m_stack;
    int m_line = 1;
    bool m_inScalar = false;
};

}  // namespace

JsonScan scanJson(const QByteArray &json, int maxDepth) { return Scanner(json, maxDepth).run(); }

}  // namespace stemship::templates
