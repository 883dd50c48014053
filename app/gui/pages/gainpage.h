#pragma once

// Gain: choose how stems are levelled for delivery (mode, target, measure, ceiling) and preview, per stem, the gain
// the packager will apply and the peak it predicts. The preview is core's own plan (delivery/gainpreview.h) on the
// stems measured as the delivery measures them; measuring reads the audio on a worker with progress and Cancel,
// and a new gain choice re-plans at once.

#include "delivery/deliveryspec.h"
#include "delivery/gainpreview.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QFutureWatcher>
#include <QThreadPool>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace stemship::gui {

class Banner;
class GainPlanModel;
class Session;

// What a preview measurement hands back to the GUI thread.
struct GainPreviewOutcome {
    std::optional<delivery::GainPreviewMeasurements> measurements;
    std::optional<Error> error;
    bool cancelled = false;
};

class GainPage : public QWidget {
    Q_OBJECT

public:
    using SpecSource = std::function<delivery::DeliverySpec()>;

    explicit GainPage(Session *session, QWidget *parent = nullptr);
    ~GainPage() override;

    // The delivery the preview plans (the main window gives the Deliver page's spec); the session's by default.
    void setSpecSource(SpecSource source);
    // Measures again when the delivery's stems, template or timeline changed since the last measurement (or
    // none was made), else re-plans on the measurements at hand.
    void refreshPreview();
    void cancelPreview();
    bool isMeasuring() const { return m_watcher.isRunning(); }

    GainPlanModel *model() const { return m_model; }
    QComboBox *modeCombo() const { return m_mode; }
    QDoubleSpinBox *targetSpin() const { return m_target; }
    QCheckBox *templateTargetCheck() const { return m_useTemplateTarget; }
    QComboBox *measureCombo() const { return m_measure; }
    QDoubleSpinBox *ceilingSpin() const { return m_ceiling; }
    QPushButton *cancelButton() const { return m_cancel; }
    Banner *banner() const { return m_banner; }

Q_SIGNALS:
    void previewReady();  // a measurement finished (or failed, or was cancelled) and the table shows its plan

protected:
    bool event(QEvent *event) override;  // shown as the current page: refreshPreview

private:
    QWidget *buildChoicePanel();
    QWidget *buildTargetField(QWidget *panel);
    QLayout *buildProgressRow();
    void connectSignals();
    void pushChoice();
    void pullChoice();
    void onChoiceOrSessionChanged();
    void startMeasuring(const delivery::DeliverySpec &spec);
    void onMeasured();
    void replan();
    void showSummary();

    Session *m_session;
    GainPlanModel *m_model;
    SpecSource m_specSource;
    Banner *m_banner;
    QComboBox *m_mode;
    QDoubleSpinBox *m_target;
    QCheckBox *m_useTemplateTarget;
    QLabel *m_targetUnit;
    QComboBox *m_measure;
    QDoubleSpinBox *m_ceiling;
    QLabel *m_summary;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QLabel *m_stage;
    QTableView *m_view;
    bool m_updating = false;
    QThreadPool m_pool;
    QFutureWatcher<GainPreviewOutcome> m_watcher;
    std::shared_ptr<CancelToken> m_cancelToken;
    std::optional<delivery::DeliverySpec> m_measuringSpec;  // what the running measurement measures
    std::optional<delivery::DeliverySpec> m_measuredSpec;   // what m_measurements were measured for
    std::optional<delivery::GainPreviewMeasurements> m_measurements;
};

}  // namespace stemship::gui
