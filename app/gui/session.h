#pragma once

// What the user is working on: the stems (as given and as expanded), the template, the latest audit and the
// gain settings. Pages read it and react to its signals; it holds values only, the work is in core.

#include "audit/stemauditor.h"
#include "delivery/deliveryspec.h"
#include "delivery/gainrequest.h"
#include "gain/gainplanner.h"
#include "profiles/deliveryprofile.h"
#include "templates/sessiontemplate.h"
#include "util/error.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <optional>

namespace stemship::gui {

class Session : public QObject {
    Q_OBJECT

public:
    explicit Session(QObject *parent = nullptr);

    // Expands files, folders and zips (core collectSources). Returns the paths that do not exist.
    QList<Error> setInputs(const QStringList &paths);
    const QStringList &inputs() const { return m_inputs; }
    const QList<io::StemSource> &sources() const { return m_sources; }
    bool isEmpty() const { return m_sources.isEmpty(); }
    QString displayName() const;  // for the title bar and recent sessions

    void setSessionTemplate(std::optional<templates::SessionTemplate> tmpl);
    const std::optional<templates::SessionTemplate> &sessionTemplate() const { return m_template; }

    // The mix the stems came from (audit and package --reference); empty: none. Never one of the stems.
    void setReferencePath(const QString &path);
    const QString &referencePath() const { return m_referencePath; }
    QList<io::StemSource> stemSources() const;  // sources() without the reference mix

    // The stems' report; the sum of an audit with the sum on is kept apart (sumReport()), so the pages that work
    // on stems never see it.
    void setReport(std::optional<audit::AuditReport> report);
    const std::optional<audit::AuditReport> &report() const { return m_report; }
    const std::optional<audit::StemReport> &sumReport() const { return m_sum; }
    std::optional<audit::AuditReport> fullReport() const;  // the report as core made it, the sum last

    // The delivery profile the audit judges against (and the delivery delivers to); the sum on or off.
    void setProfile(std::optional<profiles::DeliveryProfile> profile);
    const std::optional<profiles::DeliveryProfile> &profile() const { return m_profile; }
    void setSumEnabled(bool on);
    bool sumEnabled() const { return m_sumEnabled; }
    const audit::StemReport *stemReport(const QString &displayPath) const;

    // The Gain page's choice, the type the packager's gain request is made from (delivery/gainrequest.h).
    void setGainChoice(const delivery::GainChoice &choice);
    const delivery::GainChoice &gainChoice() const { return m_gain; }
    double effectiveTargetDb() const;  // the choice's, else the template's default for the measure, else by measure
    // The true-peak ceiling every page shows and delivers to: the choice's, else the template's (templateCeilingDbtp).
    double ceilingDbtp() const;
    // The template's one ceiling: its audit settings' (what true_peak_over is judged on); -1.0 dBTP without one.
    double templateCeilingDbtp() const;
    // The delivery as far as the session decides it: its stems, reference mix, template and gain choice. The
    // Deliver page adds its form (title, tempo, bar one, format, profile) to it.
    delivery::DeliverySpec deliverySpec() const;

Q_SIGNALS:
    void inputsChanged();
    void templateChanged();
    void reportChanged();
    void referenceChanged();
    void gainChoiceChanged();
    void profileChanged();  // the profile or the sum switch

private:
    QStringList m_inputs;
    QList<io::StemSource> m_sources;
    std::optional<templates::SessionTemplate> m_template;
    std::optional<audit::AuditReport> m_report;
    QString m_referencePath;
    std::optional<audit::StemReport> m_sum;
    std::optional<profiles::DeliveryProfile> m_profile;
    bool m_sumEnabled = false;
    delivery::GainChoice m_gain;
};

}  // namespace stemship::gui
