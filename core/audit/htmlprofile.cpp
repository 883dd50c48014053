#include "audit/htmlprofile.h"

#include "audit/htmlparts.h"

#include <QMap>

namespace stemship::audit {
namespace {

QString verdictCell(bool passed)
{
    return passed ? QStringLiteral("<td class=\"l pass\">pass</td>") : QStringLiteral("<td class=\"l fail\">fail</td>");
}

// Per rule, over all subjects: the limit, how many were judged and which failed (with their values).
struct RuleSummary {
    QString limit;
    int judged = 0;
    QStringList failures;
};

}  // namespace

const char *profileStyle()
{
    return "td.pass{color:var(--ok);font-weight:600}td.fail{color:var(--err);font-weight:600}"
           "table.rules{margin:8px 0;width:auto}table.rules td,table.rules th{padding:2px 8px}"
           "td.wrap{white-space:normal;max-width:520px}\n";
}

QString profileSectionHtml(const AuditReport &report)
{
    if (report.profileName.isEmpty())
        return {};
    QStringList order;
    QMap<QString, RuleSummary> rules;
    for (const StemReport &s : report.stems) {
        if (!s.profile)
            continue;
        for (const profiles::RuleVerdict &r : s.profile->rules) {
            if (!rules.contains(r.rule))
                order.append(r.rule);
            RuleSummary &summary = rules[r.rule];
            summary.limit = r.limitText();
            ++summary.judged;
            if (!r.passed)
                summary.failures.append(s.path.section(QLatin1Char('/'), -1) + QStringLiteral(" (") + r.valueDisplay() + QLatin1Char(')'));
        }
    }
    QString html = QStringLiteral("<h2>Profile %1</h2><table class=\"rules\"><thead><tr><th class=\"l\">Rule</th>"
                                  "<th class=\"l\">Limit</th><th>Judged</th><th class=\"l\">Verdict</th><th class=\"l\">Failed</th>"
                                  "</tr></thead><tbody>").arg(esc(report.profileName));
    for (const QString &rule : order) {
        const RuleSummary &summary = rules.value(rule);
        html += QStringLiteral("<tr><td class=\"l\"><code>%1</code></td><td class=\"l\">%2</td><td>%3</td>%4<td class=\"l wrap\">%5</td></tr>")
                    .arg(esc(rule), esc(summary.limit)).arg(summary.judged)
                    .arg(verdictCell(summary.failures.isEmpty()), esc(summary.failures.join(QStringLiteral(", "))));
    }
    return html + QStringLiteral("</tbody></table>");
}

QString profileRulesHtml(const profiles::ProfileVerdict &verdict)
{
    QString html = QStringLiteral("<table class=\"rules\"><thead><tr><th class=\"l\">Rule</th><th>Value</th>"
                                  "<th class=\"l\">Limit</th><th class=\"l\">%1</th></tr></thead><tbody>")
                       .arg(esc(verdict.name));
    for (const profiles::RuleVerdict &r : verdict.rules)
        html += QStringLiteral("<tr><td class=\"l\"><code>%1</code></td><td>%2</td><td class=\"l\">%3</td>%4</tr>")
                    .arg(esc(r.rule), esc(r.valueDisplay()), esc(r.limitText()), verdictCell(r.passed));
    return html + QStringLiteral("</tbody></table>");
}

}  // namespace stemship::audit
