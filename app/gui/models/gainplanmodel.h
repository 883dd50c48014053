#pragma once

// The Gain page's preview: per stem, the measured level, the gain the core planner chose and the peak it
// predicts, before anything is committed to a delivery.

#include "audit/stemreport.h"
#include "gain/gainplanner.h"
#include "session.h"

#include <QAbstractTableModel>

namespace stemship::gui {

class GainPlanModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Stem, Measured, Target, Gain, PredictedPeak, PredictedTruePeak, Note, ColumnCount };
    static constexpr int ValueRole = Qt::UserRole + 1;

    explicit GainPlanModel(QObject *parent = nullptr);

    // Plans from the audit's levels with the request and planner the packager uses (delivery::gainRequestFor,
    // gain::planGains).
    void plan(const audit::AuditReport *report, const GainSettings &settings,
              const std::optional<templates::SessionTemplate> &tmpl);
    const gain::GainPlan &gainPlan() const { return m_plan; }
    const gain::GainRequest &request() const { return m_request; }
    double gainDb(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString name;
        gain::StemLevels levels;
        std::optional<double> targetDb;
    };
    QList<Row> m_rows;
    gain::GainRequest m_request;
    gain::GainPlan m_plan;
};

}  // namespace stemship::gui
