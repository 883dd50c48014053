#include "templates/templateparser.h"
#include "templates/templatestore.h"
#include "templates/templatewriter.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QTest>

using namespace stemship::templates;

namespace {
// A small valid template; the table below breaks it one way at a time.
const char *kValid =
    R"({"format":"stemship-template/1","name":"t","title":"T","tempo_bpm":120,"time_signature":"4/4",)"
    R"("delivery_pattern":"{index:02} {name}",)"
    R"("groups":[{"id":"drums","name":"Drums","colour":"#FF0000","bus":"drum_bus"}],)"
    R"("buses":[{"id":"drum_bus","name":"Drum Bus","kind":"group"},{"id":"verb","name":"Verb","kind":"aux"},)"
    R"({"id":"mix","name":"Mix","kind":"mix"}],)"
    R"("tracks":[{"name":"Kick In","group":"drums","sends":[{"bus":"verb","level_db":-12}]},{"name":"Snare","group":"drums"}]})";

QByteArray mutated(const char *from, const char *to)
{
    QByteArray json(kValid);
    const qsizetype at = json.indexOf(from);
    Q_ASSERT_X(at >= 0, "mutated", from);
    return json.replace(at, qsizetype(qstrlen(from)), to);
}
}  // namespace

class TestTemplateParser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void validTemplate();
    void mistakes_data();
    void mistakes();
    void reportsLines();
    void reportsEveryProblem();
    void rejectsHugeFile();
    void rejectsDeepNesting_data();
    void rejectsDeepNesting();
    void rejectsTooManyTracks();
    void bundledTemplatesValidate_data();
    void bundledTemplatesValidate();
    void storeErrors();
};

#ifndef Q_MOC_RUN  // moc misreads raw strings with unbalanced brackets
void TestTemplateParser::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("STEMSHIP_DATA_DIR"))
        qputenv("STEMSHIP_DATA_DIR", STEMSHIP_SOURCE_DATA_DIR);
}

void TestTemplateParser::validTemplate()
{
    const TemplateReadResult r = readTemplate(kValid);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.problems.first().where() + QStringLiteral(": ") + r.problems.first().what));
    QCOMPARE(r.tmpl.tracks.size(), 2);
    QCOMPARE(r.tmpl.trackOutput(r.tmpl.tracks[0]), QStringLiteral("drum_bus"));
    QCOMPARE(r.tmpl.trackColour(r.tmpl.tracks[1]), QStringLiteral("#FF0000"));
    QCOMPARE(r.tmpl.tracks[0].sends.first().levelDb, -12.0);
}

void TestTemplateParser::mistakes_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("what");
    QTest::newRow("wrong type: tempo") << mutated(R"("tempo_bpm":120)", R"("tempo_bpm":"fast")") << "/tempo_bpm" << "expected a number, got a string";
    QTest::newRow("wrong type: name") << mutated(R"("name":"Snare")", R"("name":42)") << "/tracks/1/name" << "expected a string, got a number";
    QTest::newRow("wrong type: tracks") << mutated(R"("tracks":[{"name":"Kick In",)", R"("tracks":{"x":[{"name":"Kick In",)") + "}" << "/tracks" << "expected an array, got an object";
    QTest::newRow("wrong type: pre_fader") << mutated(R"("level_db":-12)", R"("level_db":-12,"pre_fader":"yes")") << "/tracks/0/sends/0/pre_fader" << "expected a boolean";
    QTest::newRow("unknown key") << mutated(R"("colour":"#FF0000")", R"("color":"#FF0000")") << "/groups/0/color" << R"(unknown key "color" (did you mean "colour"?))";
    QTest::newRow("unknown top-level key") << mutated(R"("title":"T",)", R"("title":"T","bpm":120,)") << "/bpm" << R"(unknown key "bpm")";
    QTest::newRow("missing required key") << mutated(R"("title":"T",)", "") << "" << R"(missing required key "title")";
    QTest::newRow("missing send key") << mutated(R"({"bus":"verb","level_db":-12})", R"({"level_db":-12})") << "/tracks/0/sends/0" << R"(missing required key "bus")";
    QTest::newRow("missing bus: group") << mutated(R"("bus":"drum_bus")", R"("bus":"drums_bus")") << "/groups/0/bus" << R"(no bus "drums_bus")";
    QTest::newRow("missing bus: send") << mutated(R"({"bus":"verb")", R"({"bus":"reverb")") << "/tracks/0/sends/0/bus" << R"(no bus "reverb")";
    QTest::newRow("missing bus: output") << mutated(R"({"name":"Snare","group":"drums")", R"({"name":"Snare","output":"snare_bus")") << "/tracks/1/output" << R"(no bus "snare_bus")";
    QTest::newRow("missing group") << mutated(R"({"name":"Snare","group":"drums")", R"({"name":"Snare","group":"drum")") << "/tracks/1/group" << R"(no group "drum")";
    QTest::newRow("cycle") << mutated(R"("kind":"group"},{"id":"verb","name":"Verb","kind":"aux"})",
                                      R"("kind":"group","output":"verb"},{"id":"verb","name":"Verb","kind":"aux","output":"drum_bus"})")
                           << "/buses/0/output" << "routing cycle: drum_bus -> verb -> drum_bus";
    QTest::newRow("routed to itself") << mutated(R"("kind":"group"})", R"("kind":"group","output":"drum_bus"})") << "/buses/0/output" << "routed to itself";
    QTest::newRow("send to mix") << mutated(R"({"bus":"verb")", R"({"bus":"mix")") << "/tracks/0/sends/0/bus" << "cannot feed the mix bus";
    QTest::newRow("no mix bus") << mutated(R"("kind":"mix")", R"("kind":"aux")") << "/buses" << R"(no bus of kind "mix")";
    QTest::newRow("duplicate name") << mutated(R"("name":"Snare")", R"("name":"kick_in")") << "/tracks/1/name" << R"(duplicate track name "kick_in" (also /tracks/0/name))";
    QTest::newRow("alias names another track") << mutated(R"("name":"Snare")", R"("name":"Snare","aliases":["Kick-In"])") << "/tracks/1/aliases/0" << "also names another track (/tracks/0/name)";
    QTest::newRow("duplicate bus id") << mutated(R"({"id":"verb")", R"({"id":"drum_bus")") << "/buses/1/id" << R"(duplicate bus id "drum_bus" (also /buses/0))";
    QTest::newRow("bad colour") << mutated(R"("#FF0000")", R"("#FF00")") << "/groups/0/colour" << R"("#FF00" is not a colour; expected "#RRGGBB")";
    QTest::newRow("bad colour name") << mutated(R"({"name":"Snare","group":"drums")", R"({"name":"Snare","group":"drums","colour":"red")") << "/tracks/1/colour" << "is not a colour";
    QTest::newRow("bad regex") << mutated(R"("name":"Snare")", R"("name":"Snare","patterns":["^sn(are"])") << "/tracks/1/patterns/0" << R"(pattern "^sn(are" does not compile)";
    QTest::newRow("bad time signature") << mutated(R"("4/4")", R"("4/3")") << "/time_signature" << "is not a time signature";
    QTest::newRow("bad time signature text") << mutated(R"("4/4")", R"("common")") << "/time_signature" << "is not a time signature";
    QTest::newRow("bad tempo") << mutated(R"("tempo_bpm":120)", R"("tempo_bpm":0)") << "/tempo_bpm" << "out of range";
    QTest::newRow("bad layout") << mutated(R"("name":"Snare")", R"("name":"Snare","layout":"quad")") << "/tracks/1/layout" << "is not one of mono, stereo, 5.1, 7.1";
    QTest::newRow("bad target") << mutated(R"("name":"Snare")", R"("name":"Snare","target":{"measure":"vu","value_db":-18})") << "/tracks/1/target/measure" << "is not one of peak, rms, lufs";
    QTest::newRow("bad severity") << mutated(R"("name":"t",)", R"("name":"t","audit":{"severity":{"clipping":"fatal"}},)") << "/audit/severity/clipping" << "is not one of info, warning, error";
    QTest::newRow("bad delivery token") << mutated(R"({index:02} {name})", R"({index:02} {track})") << "/delivery_pattern" << R"(unknown token "{track}")";
    QTest::newRow("other format") << mutated("stemship-template/1", "stemship-template/2") << "/format" << "is not a supported format";
    QTest::newRow("not JSON") << mutated(R"(,"title")", R"("title")") << "" << "not valid JSON";
    QTest::newRow("not an object") << QByteArray("[1, 2]") << "" << "expected a JSON object";
}

void TestTemplateParser::mistakes()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, pointer);
    QFETCH(QString, what);
    const QList<TemplateProblem> problems = validateTemplate(json);
    QVERIFY(!problems.isEmpty());
    QStringList seen;
    bool found = false;
    for (const TemplateProblem &p : problems) {
        seen.append(p.where() + QStringLiteral(": ") + p.what);
        found = found || (p.pointer == pointer && p.what.contains(what));
    }
    QVERIFY2(found, qPrintable(seen.join(QStringLiteral(" | "))));
    QVERIFY(!parseTemplate(json, QStringLiteral("t.json")).ok());
}

void TestTemplateParser::reportsLines()
{
    const QByteArray json = QJsonDocument::fromJson(mutated(R"("#FF0000")", R"("#FF00")")).toJson(QJsonDocument::Indented);
    const QList<TemplateProblem> problems = validateTemplate(json);
    QCOMPARE(problems.size(), 1);
    const QList<QByteArray> lines = json.split('\n');
    QVERIFY(problems.first().line > 0);
    QVERIFY2(lines.at(problems.first().line - 1).contains("#FF00"), lines.at(problems.first().line - 1).constData());
    QVERIFY(problems.first().message(QStringLiteral("x.json")).startsWith(QStringLiteral("x.json: /groups/0/colour (line ")));
    const QList<TemplateProblem> syntax = validateTemplate("{\n\"format\": \"stemship-template/1\",\n\"name\": }\n");
    QCOMPARE(syntax.size(), 1);
    QCOMPARE(syntax.first().line, 3);
}

void TestTemplateParser::reportsEveryProblem()
{
    QByteArray json = mutated(R"("#FF0000")", R"("#FF00")");
    json.replace(R"({"bus":"verb")", R"({"bus":"reverb")");
    QCOMPARE(validateTemplate(json).size(), 2);
}

void TestTemplateParser::rejectsHugeFile()
{
    QByteArray json = mutated(R"("title":"T")", R"("title":"T","description":")");
    json.insert(json.indexOf(R"(","tempo_bpm")"), QByteArray(10 * 1024 * 1024, 'x'));
    const QList<TemplateProblem> problems = validateTemplate(json);
    QCOMPARE(problems.size(), 1);
    QVERIFY(problems.first().what.contains(QStringLiteral("more than the 1048576 allowed")));
}

void TestTemplateParser::rejectsDeepNesting_data()
{
    QTest::addColumn<int>("levels");
    QTest::addColumn<bool>("closed");
    QTest::newRow("33 arrays") << 33 << true;
    QTest::newRow("100 000 arrays") << 100000 << true;
    QTest::newRow("100 000 unclosed objects") << 100000 << false;
}

void TestTemplateParser::rejectsDeepNesting()
{
    QFETCH(int, levels);
    QFETCH(bool, closed);
    QByteArray json = R"({"format":"stemship-template/1","name":"t","description":"[[[[ in a string is fine","x":)";
    json += closed ? QByteArray(levels, '[') + QByteArray(levels, ']') : QByteArray("{\"a\":").repeated(levels);
    json += closed ? "}" : "";
    const QList<TemplateProblem> problems = validateTemplate(json);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().what.contains(QStringLiteral("nested more than 32 levels")), qPrintable(problems.first().what));
}

void TestTemplateParser::rejectsTooManyTracks()
{
    QByteArray tracks;
    for (int i = 0; i < 1001; ++i)
        tracks += (i ? "," : "") + QByteArray(R"({"name":"T)") + QByteArray::number(i) + R"("})";
    const QByteArray json = mutated(R"({"name":"Snare","group":"drums"})", tracks.constData());
    const QList<TemplateProblem> problems = validateTemplate(json);
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().pointer, QStringLiteral("/tracks"));
    QVERIFY(problems.first().what.contains(QStringLiteral("at most 1000")));
}

void TestTemplateParser::bundledTemplatesValidate_data()
{
    QTest::addColumn<QString>("name");
    const QStringList names = listTemplates();
    QVERIFY(names.size() >= 5);
    for (const QString &name : names)
        QTest::newRow(qPrintable(name)) << name;
}

void TestTemplateParser::bundledTemplatesValidate()
{
    QFETCH(QString, name);
    const stemship::Result<SessionTemplate> t = loadTemplate(name);
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().line()));
    QCOMPARE(t->name, name);
    QVERIFY(t->mixBus());
    QVERIFY(!t->tracks.isEmpty());
    // The writer's output reads back to the same document.
    const QByteArray written = templateToJson(*t);
    const stemship::Result<SessionTemplate> again = parseTemplate(written, name);
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().line()));
    QCOMPARE(templateToJson(*again), written);
}

void TestTemplateParser::storeErrors()
{
    const stemship::Result<SessionTemplate> unknown = loadTemplate(QStringLiteral("no-such-template"));
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().code, stemship::ErrorCode::NotFound);
    QCOMPARE(loadTemplate(QStringLiteral("../templates/band-tracking")).error().code, stemship::ErrorCode::NotFound);
    QCOMPARE(loadTemplate(QStringLiteral("/nonexistent/x.json")).error().code, stemship::ErrorCode::NotFound);
    QVERIFY(loadTemplate(QStringLiteral(STEMSHIP_SOURCE_DATA_DIR "/templates/hip-hop.json")).ok());
}
#endif

QTEST_GUILESS_MAIN(TestTemplateParser)
#include "tst_templateparser.moc"
