// Hostile templates and session imports: wrong types, cycles, huge and deeply nested documents, bad regexes,
// entity-expansion XML, broken REAPER projects. Each must give located problems or a clean Error in bounded time.

#include "templates/dawprojectimport.h"
#include "templates/rppimport.h"
#include "templates/templateparser.h"
#include "templates/templatestore.h"
#include "templates/templatewriter.h"
#include "templates/trackmatcher.h"
#include "deliverysignals.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFuture>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>
#include <QtConcurrent>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace stemship;
using namespace stemship::templates;

namespace {

QByteArray validTemplate()
{
    return R"({
  "format": "stemship-template/1", "name": "hostile", "title": "Hostile", "tempo_bpm": 120,
  "time_signature": "4/4",
  "tracks": [ { "name": "Kick" } ],
  "buses": [ { "id": "mix", "name": "Mix", "kind": "mix" } ]
})";
}

// The valid template with one top-level key replaced (raw JSON text for its value).
QByteArray withKey(const char *key, const QByteArray &valueJson)
{
    QByteArray t = validTemplate();
    const QByteArray needle = QByteArray("\"") + key + "\":";
    const qsizetype at = t.indexOf(needle);
    if (at < 0) {
        t.insert(1, "\"" + QByteArray(key) + "\": " + valueJson + ",");
        return t;
    }
    // Replace up to the next top-level comma or newline (values in validTemplate() are one line each).
    qsizetype end = at + needle.size();
    int depth = 0;
    for (; end < t.size(); ++end) {
        const char c = t[end];
        if (c == '[' || c == '{') ++depth;
        if (c == ']' || c == '}') { if (depth == 0) break; --depth; }
        if (depth == 0 && (c == ',' || c == '\n')) break;
    }
    return t.left(at + needle.size()) + " " + valueJson + t.mid(end);
}

QByteArray busesJson(const QList<QPair<QString, QString>> &idAndOutput)
{
    QByteArray b = R"([ { "id": "mix", "name": "Mix", "kind": "mix" })";
    for (const auto &[id, output] : idAndOutput)
        b += R"(, { "id": ")" + id.toUtf8() + R"(", "name": ")" + id.toUtf8() + R"(", "kind": "group", "output": ")" + output.toUtf8() + "\" }";
    return b + " ]";
}

QByteArray tracksWithPatterns(const QStringList &patterns)
{
    QByteArray p;
    for (const QString &pattern : patterns)
        p += (p.isEmpty() ? "" : ", ") + QJsonDocument(QJsonArray{pattern}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    return R"([ { "name": "Kick", "patterns": [ )" + p + " ] } ]";
}

// Runs fn on a worker and waits at most timeoutMs; unblock() is called when it has not returned by then.
template <typename Fn>
bool finishesWithin(Fn fn, int timeoutMs, const std::function<void()> &unblock = {})
{
    QFuture<void> f = QtConcurrent::run(fn);
    QElapsedTimer clock;
    clock.start();
    while (!f.isFinished() && clock.elapsed() < timeoutMs)
        QThread::msleep(10);
    const bool done = f.isFinished();
    if (!done && unblock)
        unblock();
    f.waitForFinished();
    return done;
}

// Opens and closes the write end of a FIFO, releasing a reader blocked opening it, so a failing test still ends.
void releaseFifoReader(const QString &fifo)
{
    const int fd = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0)
        ::close(fd);
}

// Runs a hostile import and checks what every one must give: done within 10 s (the watchdog gives up at 30), then
// a one-line Error naming file (holding needle when one is given) or a template the parser accepts again.
// t keeps the result for the caller's own checks; a failure here shows in QTest::currentTestFailed().
void verifyImport(const std::function<Result<SessionTemplate>()> &import, const QString &file, const QString &needle,
                  Result<SessionTemplate> &t)
{
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(finishesWithin([&] { t = import(); }, 30000), "import did not finish within 30 s");
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QStringLiteral("import took %1 ms").arg(clock.elapsed())));
    if (!t.ok()) {
        QCOMPARE(t.error().file, file);
        QVERIFY(!t.error().what.isEmpty());
        QVERIFY2(!t.error().line().contains(QLatin1Char('\n')), qPrintable(t.error().line().left(300)));
        if (!needle.isEmpty())
            QVERIFY2(t.error().what.contains(needle), qPrintable(t.error().what.left(300)));
        QVERIFY2(QByteArray(QTest::currentDataTag()) != "valid", qPrintable(t.error().line()));
    } else {
        QVERIFY2(needle.isEmpty(), qPrintable(QStringLiteral("imported, expected an error containing ") + needle));
        // What an import learns is a template the parser accepts: within every limit of the format.
        const TemplateReadResult again = readTemplate(templateToJson(*t));
        const QString first = again.ok() ? QString() : again.problems.first().where().left(100) + QStringLiteral(": ") + again.problems.first().what.left(200);
        QVERIFY2(again.ok(), qPrintable(first));
    }
}

// Rows of json() (outside the class: moc misreads raw string literals inside it).
void jsonRows()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("needle");  // in some problem; empty = the template must be valid

    QTest::newRow("valid") << validTemplate() << QString();
    QTest::newRow("empty") << QByteArray() << "not valid JSON";
    QTest::newRow("null") << QByteArray("null") << "not valid JSON";
    QTest::newRow("array") << QByteArray("[1,2,3]") << "expected a JSON object";
    QTest::newRow("garbage") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << "not valid JSON";
    QTest::newRow("nul inside") << validTemplate().replace("Kick", QByteArray("Ki\0ck", 5)) << "";
    QTest::newRow("NaN literal") << withKey("tempo_bpm", "NaN") << "not valid JSON";
    QTest::newRow("trailing comma") << QByteArray(R"({"format": "stemship-template/1",})") << "not valid JSON";
    // Wrong types.
    QTest::newRow("tracks is a string") << withKey("tracks", "\"Kick\"") << "expected an array";
    QTest::newRow("tracks item is a number") << withKey("tracks", "[ 42 ]") << "expected an object";
    QTest::newRow("tempo is a string") << withKey("tempo_bpm", "\"120\"") << "expected a number";
    QTest::newRow("name is a number") << withKey("name", "7") << "expected a string";
    QTest::newRow("name is an object") << withKey("name", "{}") << "expected a string";
    QTest::newRow("audit is an array") << withKey("audit", "[]") << "expected an object";
    QTest::newRow("severity is a string") << withKey("audit", R"({"severity": "error"})") << "expected an object";
    QTest::newRow("bad issue code") << withKey("audit", R"({"severity": {"DROP TABLE": "error"}})") << "not an issue code";
    QTest::newRow("bad severity") << withKey("audit", R"({"severity": {"clipping": "fatal"}})") << "not one of info";
    QTest::newRow("aliases of numbers") << withKey("tracks", R"([{"name": "Kick", "aliases": [1, 2]}])") << "a string";
    QTest::newRow("other format version") << withKey("format", "\"stemship-template/99\"") << "not a supported format";
    // Out-of-range numbers.
    QTest::newRow("tempo 1e308") << withKey("tempo_bpm", "1e308") << "out of range";
    QTest::newRow("tempo -1e308") << withKey("tempo_bpm", "-1e308") << "out of range";
    QTest::newRow("tempo 1e999") << withKey("tempo_bpm", "1e999") << "";
    QTest::newRow("clip run 1e10") << withKey("audit", R"({"clip_run_min_samples": 1e10})") << "out of range";
    QTest::newRow("clip run 1.5") << withKey("audit", R"({"clip_run_min_samples": 1.5})") << "whole number";
    QTest::newRow("time signature 999/3") << withKey("time_signature", "\"999/3\"") << "not a time signature";
    QTest::newRow("colour not hex") << withKey("tracks", R"([{"name": "Kick", "colour": "#GGGGGG"}])") << "not a colour";
    // Routing cycles and dangling references.
    QTest::newRow("self cycle") << withKey("buses", busesJson({{QStringLiteral("a"), QStringLiteral("a")}})) << "routing cycle";
    QTest::newRow("two-bus cycle") << withKey("buses", busesJson({{QStringLiteral("a"), QStringLiteral("b")}, {QStringLiteral("b"), QStringLiteral("a")}})) << "routing cycle";
    QList<QPair<QString, QString>> ring;
    for (int i = 0; i < 256; ++i)
        ring.append({QStringLiteral("b%1").arg(i), QStringLiteral("b%1").arg((i + 1) % 255)});
    QTest::newRow("long cycle") << withKey("buses", busesJson(ring.mid(0, 255))) << "routing cycle";
    QTest::newRow("dangling output") << withKey("buses", busesJson({{QStringLiteral("a"), QStringLiteral("nowhere")}})) << "no bus";
    QTest::newRow("no mix bus") << withKey("buses", "[]") << "";
    QTest::newRow("send to missing bus") << withKey("tracks", R"([{"name": "Kick", "sends": [{"bus": "ghost"}]}])") << "no bus";
    // Nesting and size.
    QTest::newRow("100000 nested arrays") << withKey("description", QByteArray(100000, '[') + QByteArray(100000, ']')) << "nested more than";
    QByteArray objects;
    for (int i = 0; i < 100000; ++i)
        objects += "{\"a\":";
    objects += "1" + QByteArray(100000, '}');
    QTest::newRow("100000 nested objects") << objects << "nested more than";
    QTest::newRow("100000 unclosed") << QByteArray(100000, '[') << "nested more than";
    QTest::newRow("33 levels") << withKey("description", QByteArray(33, '[') + QByteArray(33, ']')) << "nested more than";
    QTest::newRow("10 MB") << withKey("description", '"' + QByteArray(10 << 20, 'x') + '"') << "more than the";
    QTest::newRow("900k-char name") << withKey("name", '"' + QByteArray(900000, 'n') + '"') << "longer than";
    QTest::newRow("900k-char key") << withKey(QByteArray(900000, 'k').constData(), "1") << "unknown key";
    QByteArray manyKeys = "{";
    for (int i = 0; i < 50000; ++i)
        manyKeys += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ",";
    manyKeys += "\"format\": \"stemship-template/1\"}";
    QTest::newRow("50000 unknown keys") << manyKeys << "unknown key";
    QByteArray manyTracks = "[";
    for (int i = 0; i < 1001; ++i)
        manyTracks += (i ? "," : "") + QByteArray("{\"name\": \"T") + QByteArray::number(i) + "\"}";
    QTest::newRow("1001 tracks") << withKey("tracks", manyTracks + "]") << "at most 1000";
    QTest::newRow("65 aliases") << withKey("tracks", R"([{"name": "Kick", "aliases": [)" + QByteArray("\"a\",").repeated(64) + "\"a\"]}]") << "at most 64";
    QTest::newRow("lone surrogate") << withKey("name", "\"\\ud800\"") << "";
    QTest::newRow("duplicate keys") << withKey("tracks", R"([{"name": "Kick", "name": "Snare"}])") << "";
    // Regular expressions.
    QTest::newRow("regex unbalanced (") << withKey("tracks", tracksWithPatterns({QStringLiteral("(kick")})) << "does not compile";
    QTest::newRow("regex [") << withKey("tracks", tracksWithPatterns({QStringLiteral("[a-")})) << "does not compile";
    QTest::newRow("regex trailing backslash") << withKey("tracks", tracksWithPatterns({QStringLiteral("kick\\")})) << "does not compile";
    QTest::newRow("regex bad quantifier") << withKey("tracks", tracksWithPatterns({QStringLiteral("a{2,1}")})) << "does not compile";
    QTest::newRow("regex lookbehind unbounded") << withKey("tracks", tracksWithPatterns({QStringLiteral("(?<=a+)b")})) << "does not compile";
    QTest::newRow("regex 257 chars") << withKey("tracks", tracksWithPatterns({QString(257, QLatin1Char('a'))})) << "longer than";
    QTest::newRow("regex nested groups") << withKey("tracks", tracksWithPatterns({QString(120, QLatin1Char('(')) + QString(120, QLatin1Char(')'))})) << "";
}

// Rows of dawproject() (outside the class: moc misreads raw string literals inside it).
void dawprojectRows()
{
    QTest::addColumn<QByteArray>("project");
    QTest::addColumn<QByteArray>("metadata");
    QTest::addColumn<QString>("needle");  // in the error; empty = must import

    const QByteArray ok = R"(<?xml version="1.0" encoding="UTF-8"?>
<Project version="1.0"><Transport><Tempo value="120"/><TimeSignature numerator="4" denominator="4"/></Transport>
<Structure><Track name="Kick" color="#FF0000"><Channel id="c1" role="regular" audioChannels="1"/></Track></Structure></Project>)";
    QTest::newRow("valid") << ok << QByteArray() << QString();
    QByteArray laughs = R"(<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY lol "lol">)";
    for (int i = 1; i < 10; ++i)
        laughs += "<!ENTITY lol" + QByteArray::number(i) + " \"" + QByteArray("&lol" + (i > 1 ? QByteArray::number(i - 1) : QByteArray()) + ";").repeated(10) + "\">";
    laughs += R"(]><Project><Structure><Track name="&lol9;"/></Structure></Project>)";
    QTest::newRow("billion laughs") << laughs << QByteArray() << "document type";
    QTest::newRow("external entity") << QByteArray(R"(<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project><Structure><Track name="&x;"/></Structure></Project>)") << QByteArray() << "document type";
    QTest::newRow("undeclared entity") << QByteArray(R"(<Project><Structure><Track name="&lol9;"/></Structure></Project>)") << QByteArray() << "not well-formed";
    QTest::newRow("billion laughs in metadata") << ok << laughs << QString();
    QTest::newRow("100000 nested elements") << "<Project>" + QByteArray("<a>").repeated(100000) + QByteArray("</a>").repeated(100000) + "</Project>" << QByteArray() << "nested more than";
    QTest::newRow("100000 nested tracks") << "<Project><Structure>" + QByteArray("<Track name=\"t\">").repeated(100000) << QByteArray() << "nested more than";
    QTest::newRow("10 MB attribute") << QByteArray(R"(<Project><Structure><Track name=")") + QByteArray(10 << 20, 'N') + R"("><Channel id="c" role="regular"/></Track></Structure></Project>)" << QByteArray() << "";
    QTest::newRow("100000 attributes") << "<Project " + QByteArray().append([] { QByteArray a; for (int i = 0; i < 100000; ++i) a += "a" + QByteArray::number(i) + "=\"x\" "; return a; }()) + "/>" << QByteArray() << "";
    QTest::newRow("5000 tracks") << "<Project><Structure>" + QByteArray("<Track name=\"t\"><Channel role=\"regular\"/></Track>").repeated(5000) + "</Structure></Project>" << QByteArray() << "more than";
    QTest::newRow("1000001 elements") << "<Project>" + QByteArray("<x/>").repeated(1000001) + "</Project>" << QByteArray() << "million";
    QTest::newRow("not xml") << QByteArray("PK\x03\x04 this is a zip, not XML") << QByteArray() << "not well-formed";
    QTest::newRow("empty") << QByteArray() << QByteArray() << "";
    QTest::newRow("wrong root") << QByteArray("<Html/>") << QByteArray() << "not a DAWproject";
    QTest::newRow("tempo NaN, signature 0/0") << QByteArray(R"(<Project><Transport><Tempo value="nan"/><TimeSignature numerator="0" denominator="0"/></Transport><Structure><Track name="A"><Channel id="c" role="regular"/></Track></Structure></Project>)") << QByteArray() << QString();
    QTest::newRow("channels -5 and 99999") << QByteArray(R"(<Project><Structure><Track name="A"><Channel id="a" role="regular" audioChannels="-5"/></Track><Track name="B"><Channel id="b" role="regular" audioChannels="99999"/></Track></Structure></Project>)") << QByteArray() << QString();
    QTest::newRow("routing cycle") << QByteArray(R"(<Project><Structure><Track name="A"><Channel id="a" role="submix" destination="b"/></Track><Track name="B"><Channel id="b" role="submix" destination="a"/></Track></Structure></Project>)") << QByteArray() << "";
    QTest::newRow("send to itself, 10000 sends") << "<Project><Structure><Track name=\"A\"><Channel id=\"a\" role=\"effect\">" + QByteArray("<Sends><Send destination=\"a\"><Volume value=\"1e308\" unit=\"linear\"/></Send></Sends>").repeated(10000) + "</Channel></Track></Structure></Project>" << QByteArray() << "";
    QTest::newRow("duplicate channel ids") << QByteArray(R"(<Project><Structure><Track name="A"><Channel id="x" role="regular"/></Track><Track name="A"><Channel id="x" role="regular"/></Track></Structure></Project>)") << QByteArray() << QString();
    QTest::newRow("huge CDATA") << "<Project><Structure><![CDATA[" + QByteArray(8 << 20, 'c') + "]]></Structure></Project>" << QByteArray() << "";
}

// Rows of rpp() (outside the class: moc misreads raw string literals inside it).
void rppRows()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("needle");  // in the error; empty = must import

    const QByteArray head = "<REAPER_PROJECT 0.1 \"7.0\" 1700000000\n  TEMPO 120 4 4\n";
    const QByteArray track = "  <TRACK\n    NAME Kick\n    PEAKCOL 16576\n    NCHAN 2\n  >\n";
    QTest::newRow("valid") << head + track + ">\n" << QString();
    QTest::newRow("empty") << QByteArray() << "";
    QTest::newRow("not reaper") << QByteArray("<SOMETHING_ELSE\n>\n") << "not a REAPER project";
    QTest::newRow("100000 nested blocks") << head + QByteArray("<X\n").repeated(100000) + QByteArray(">\n").repeated(100001) << "nested more than";
    QTest::newRow("unclosed") << head + "  <TRACK\n    NAME Kick\n" << "ends inside a block";
    QTest::newRow("extra close") << head + track + ">\n>\n>\n" << "closes no block";
    QTest::newRow("1001 tracks") << head + track.repeated(1001) + ">\n" << "more than 1000 tracks";
    QTest::newRow("folder delta INT_MIN") << head + "  <TRACK\n    NAME F\n    ISBUS 1 1\n  >\n  <TRACK\n    NAME K\n    ISBUS 2 -2147483648\n  >\n>\n" << QString();
    QTest::newRow("folder opens 5000 deep") << head + QByteArray("  <TRACK\n    NAME F\n    ISBUS 1 1\n  >\n").repeated(999) + ">\n" << "";
    QTest::newRow("auxrecv out of range") << head + "  <TRACK\n    NAME A\n    AUXRECV 99999 0 1 0 0 0 0 0 0 -1:U 0 -1 ''\n    AUXRECV -7 0 nan 0\n    AUXRECV 0 0 1e308 0\n  >\n>\n" << QString();
    QTest::newRow("10 MB name") << head + "  <TRACK\n    NAME \"" + QByteArray(10 << 20, 'n') + "\"\n  >\n>\n" << "";
    QTest::newRow("unterminated quote") << head + "  <TRACK\n    NAME \"Kick\n  >\n>\n" << QString();
    QTest::newRow("tempo garbage") << QByteArray("<REAPER_PROJECT\n  TEMPO nan 0 -2147483648\n") + track + ">\n" << QString();
    QTest::newRow("peakcol extremes") << head + "  <TRACK\n    NAME A\n    PEAKCOL -9223372036854775808\n  >\n  <TRACK\n    NAME B\n    PEAKCOL 99999999999999999999\n  >\n>\n" << QString();
    QTest::newRow("nchan absurd") << head + "  <TRACK\n    NAME A\n    NCHAN 2147483647\n  >\n  <TRACK\n    NAME B\n    NCHAN -1\n  >\n>\n" << QString();
    QTest::newRow("binary garbage") << head + QByteArray("\0\xff\xfe<\n\x80\x81>\n", 9) + ">\n" << "";
    QTest::newRow("cr only line ends") << QByteArray(head + track + ">\n").replace('\n', '\r') << "";
    QTest::newRow("64 MiB + 1") << QByteArray((64 << 20) + 1, ' ') << "larger than";
    QTest::newRow("10 MB notes") << head + "  <NOTES 0 2\n" + QByteArray("    |notes notes notes\n").repeated(400000) + "  >\n" + track + ">\n" << "";
}

}  // namespace

class TestHostileTemplate : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void json_data() { jsonRows(); }

    void json()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, needle);
        QElapsedTimer clock;
        clock.start();
        const TemplateReadResult read = readTemplate(json);
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QStringLiteral("readTemplate took %1 ms").arg(clock.elapsed())));
        QString all;
        for (const TemplateProblem &p : read.problems) {
            QVERIFY(!p.what.isEmpty());
            QVERIFY2(!p.message(QStringLiteral("t.json")).contains(QLatin1Char('\n')), qPrintable(p.what.left(200)));
            all += p.where().left(100) + QStringLiteral(": ") + p.what.left(200) + QLatin1Char('|');
        }
        if (needle.isEmpty() && QByteArray(QTest::currentDataTag()) == "valid")
            QVERIFY2(read.ok(), qPrintable(all));
        if (!needle.isEmpty()) {
            QVERIFY2(!read.ok(), "accepted, expected a problem");
            QVERIFY2(all.contains(needle), qPrintable(all.left(2000)));
        }
        // parseTemplate names the file and carries the documented code.
        const Result<SessionTemplate> parsed = parseTemplate(json, QStringLiteral("studio-b.json"));
        QCOMPARE(parsed.ok(), read.ok());
        if (!parsed.ok()) {
            QCOMPARE(parsed.error().file, QStringLiteral("studio-b.json"));
            QCOMPARE(parsed.error().code, ErrorCode::InvalidTemplate);
            QVERIFY(parsed.error().line().startsWith(QLatin1String("studio-b.json: ")));
        } else {
            // A template that validates writes back out as one that validates again.
            QVERIFY2(readTemplate(templateToJson(*parsed)).ok(), "round trip does not validate");
        }
        QVERIFY2(clock.elapsed() < 20000, "took more than 20 s");
    }

    // "(a+)+$"-style patterns are valid but backtrack exponentially; matching a long name must stay bounded.
    void catastrophicPatternIsBounded()
    {
        const QByteArray json = withKey("tracks", tracksWithPatterns({QStringLiteral("^(a+)+$"), QStringLiteral("^(a|a)*$"), QStringLiteral("(x+x+)+y")}));
        const Result<SessionTemplate> t = parseTemplate(json, QStringLiteral("redos.json"));
        QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().line()));
        const QString name = QString(5000, QLatin1Char('a')) + QStringLiteral("!") + QString(200, QLatin1Char('x')) + QStringLiteral(".wav");
        QElapsedTimer clock;
        clock.start();
        bool done = finishesWithin([&] { (void)matchTrack(*t, name); }, 20000);
        QVERIFY2(done, "matching did not finish within 20 s");
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QStringLiteral("matching took %1 ms").arg(clock.elapsed())));
    }

    void files_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("10 MB file") << "big";
        QTest::newRow("directory") << "dir";
        QTest::newRow("fifo") << "fifo";
        QTest::newRow("missing") << "missing";
    }

    // readTemplateFile / loadTemplate on hostile files: refused before reading, never blocked on a FIFO.
    void files()
    {
        QFETCH(QString, kind);
        const QString file = m_dir.filePath(QStringLiteral("t-%1.json").arg(kind));
        if (kind == QLatin1String("big"))
            QVERIFY(test::writeFile(file, withKey("description", '"' + QByteArray(10 << 20, 'x') + '"')));
        else if (kind == QLatin1String("dir"))
            QVERIFY(QDir().mkpath(file));
        else if (kind == QLatin1String("fifo"))
            QCOMPARE(mkfifo(QFile::encodeName(file).constData(), 0600), 0);
        const auto unblock = [&] { releaseFifoReader(file); };
        Result<QByteArray> bytes = Error{};
        QVERIFY2(finishesWithin([&] { bytes = readTemplateFile(file); }, 5000, unblock), "readTemplateFile blocked");
        QVERIFY(!bytes.ok());
        QCOMPARE(bytes.error().file, file);
        QVERIFY(bytes.error().code == ErrorCode::Unreadable || bytes.error().code == ErrorCode::NotFound);
        Result<SessionTemplate> loaded = Error{};
        QVERIFY2(finishesWithin([&] { loaded = loadTemplate(file); }, 5000, unblock), "loadTemplate blocked");
        QVERIFY(!loaded.ok());
        QVERIFY(!loaded.error().what.isEmpty());
    }

    void dawproject_data() { dawprojectRows(); }

    void dawproject()
    {
        QFETCH(QByteArray, project);
        QFETCH(QByteArray, metadata);
        QFETCH(QString, needle);
        const QString file = QStringLiteral("Hostile Song.dawproject");
        Result<SessionTemplate> t = Error{};
        verifyImport([&] { return importDawProjectXml(project, metadata, file); }, file, needle, t);
        if (QTest::currentTestFailed())
            return;
        if (QByteArray(QTest::currentDataTag()) == "tempo NaN, signature 0/0" && t.ok()) {
            QCOMPARE(t->tempoBpm, 120.0);
            QCOMPARE(t->timeSignature.denominator, 4);
        }
    }

    // The .dawproject container itself: a zip bomb or a missing project.xml is an Error, not a crash.
    void dawprojectArchives()
    {
        const QString bomb = m_dir.filePath(QStringLiteral("bomb.dawproject"));
        test::RawZipEntry big;
        big.name = QStringLiteral("project.xml");
        big.data = "<Project>" + QByteArray(80 << 20, ' ') + "</Project>";
        big.method = 8;
        big.declaredSize = 100;  // lies: the stream inflates to 80 MiB
        QVERIFY(test::writeFile(bomb, test::buildZip({big})));
        Result<SessionTemplate> t = importDawProject(bomb);
        QVERIFY(!t.ok());
        QCOMPARE(t.error().file, bomb);

        const QString empty = m_dir.filePath(QStringLiteral("empty.dawproject"));
        QVERIFY(test::writeFile(empty, test::buildZip({})));
        t = importDawProject(empty);
        QVERIFY(!t.ok());
        QCOMPARE(t.error().file, empty);
        QVERIFY(!t.error().what.isEmpty());

        const QString notZip = m_dir.filePath(QStringLiteral("text.dawproject"));
        QVERIFY(test::writeFile(notZip, "<Project/>"));
        t = importDawProject(notZip);
        QVERIFY(!t.ok());
        QCOMPARE(t.error().code, ErrorCode::Unreadable);

        const QString fifo = m_dir.filePath(QStringLiteral("pipe.dawproject"));
        QCOMPARE(mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const auto unblock = [&] { releaseFifoReader(fifo); };
        QVERIFY2(finishesWithin([&] { t = importDawProject(fifo); }, 5000, unblock), "importDawProject blocked on a FIFO");
        QVERIFY(!t.ok());
    }

    void rpp_data() { rppRows(); }

    void rpp()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, needle);
        const QString file = QStringLiteral("Hostile Song.RPP");
        Result<SessionTemplate> t = Error{};
        verifyImport([&] { return importRppText(text, file); }, file, needle, t);
    }

    void rppFiles()
    {
        const QString fifo = m_dir.filePath(QStringLiteral("pipe.RPP"));
        QCOMPARE(mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const auto unblock = [&] { releaseFifoReader(fifo); };
        Result<SessionTemplate> t = Error{};
        QVERIFY2(finishesWithin([&] { t = importRpp(fifo); }, 5000, unblock), "importRpp blocked on a FIFO");
        QVERIFY(!t.ok());
        QCOMPARE(t.error().file, fifo);

        const QString dir = m_dir.filePath(QStringLiteral("folder.RPP"));
        QVERIFY(QDir().mkpath(dir));
        t = importRpp(dir);
        QVERIFY(!t.ok());
        QCOMPARE(t.error().file, dir);
    }
};

QTEST_GUILESS_MAIN(TestHostileTemplate)
#include "tst_hostile_template.moc"
