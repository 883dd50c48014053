#pragma once

// Gain: choose how stems are levelled for delivery (mode, target, measure, ceiling) and preview, per stem,
// the gain the core planner picks and the peak it predicts, before anything is written.

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTableView;

namespace stemship::gui {

class Banner;
class GainPlanModel;
class Session;

class GainPage : public QWidget {
    Q_OBJECT

public:
    explicit GainPage(Session *session, QWidget *parent = nullptr);

    GainPlanModel *model() const { return m_model; }
    QComboBox *modeCombo() const { return m_mode; }
    QDoubleSpinBox *targetSpin() const { return m_target; }
    QCheckBox *templateTargetCheck() const { return m_useTemplateTarget; }
    QComboBox *measureCombo() const { return m_measure; }
    QDoubleSpinBox *ceilingSpin() const { return m_ceiling; }

Q_SIGNALS:
    void auditRequested();

private:
    void pushSettings();
    void pullSettings();
    void replan();

    Session *m_session;
    GainPlanModel *m_model;
    Banner *m_banner;
    QComboBox *m_mode;
    QDoubleSpinBox *m_target;
    QCheckBox *m_useTemplateTarget;
    QLabel *m_targetUnit;
    QComboBox *m_measure;
    QDoubleSpinBox *m_ceiling;
    QLabel *m_summary;
    QTableView *m_view;
    QPushButton *m_toAudit;
    bool m_updating = false;
};

}  // namespace stemship::gui
