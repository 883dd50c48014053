#pragma once

// Deliver: title, version, tempo, time signature, bar one (set by eye on the waveform), output path and the
// Gain page's settings; packages on a thread pool with progress and Cancel, then shows the verdict of the packager,
// which verified the zip before committing it.

#include "delivery/deliveryspec.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QFutureWatcher>
#include <QThreadPool>
#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLayout;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

namespace stemship::gui {

class Banner;
class ProfilePicker;
class Session;
class WaveformView;

// What a packaging job hands back to the GUI thread.
struct DeliveryOutcome {
    std::optional<delivery::DeliveryResult> result;
    std::optional<Error> error;
    bool cancelled = false;
};

class DeliverPage : public QWidget {
    Q_OBJECT

public:
    explicit DeliverPage(Session *session, QWidget *parent = nullptr);
    ~DeliverPage() override;

    delivery::DeliverySpec spec() const;  // what Package would run, from the form and the session
    void startPackaging();
    void cancelPackaging();
    bool isRunning() const { return m_watcher.isRunning(); }
    const std::optional<DeliveryOutcome> &lastOutcome() const { return m_outcome; }

    QLineEdit *titleEdit() const { return m_title; }
    QLineEdit *versionEdit() const { return m_version; }
    QDoubleSpinBox *tempoSpin() const { return m_tempo; }
    QDoubleSpinBox *barOneSpin() const { return m_barOne; }
    QLineEdit *outputEdit() const { return m_output; }
    WaveformView *waveform() const { return m_waveform; }
    QLabel *verdictLabel() const { return m_verdict; }
    Banner *banner() const { return m_banner; }

Q_SIGNALS:
    void gainPageRequested();
    void packagingFinished();

private:
    QWidget *buildFormPanel();
    QWidget *buildTimingFields(QWidget *panel);
    QWidget *buildOutputField(QWidget *panel);
    QWidget *buildGainField(QWidget *panel);
    void addSessionAndReferenceRows(QWidget *panel, QGridLayout *grid);
    void buildWaveform(QVBoxLayout *layout);
    QLayout *buildActions();
    QWidget *buildResultPanel();
    void connectSignals();
    void onFinished();
    void refreshFromSession();
    void refreshGainSummary();
    void showProfileFormat();
    void updateGrid();
    void chooseOutput();

    Session *m_session;
    Banner *m_banner;
    QLineEdit *m_title;
    QLineEdit *m_version;
    QDoubleSpinBox *m_tempo;
    QSpinBox *m_numerator;
    QComboBox *m_denominator;
    QDoubleSpinBox *m_barOne;
    QComboBox *m_sampleRate;
    QComboBox *m_bitDepth;
    QCheckBox *m_sessionDawProject;  // session files in the zip (package --session)
    QCheckBox *m_sessionRpp;
    QCheckBox *m_sessionMidi;
    QCheckBox *m_align;  // --align-to-reference, when a reference mix is loaded
    ProfilePicker *m_profilePicker;
    QComboBox *m_waveformStem;
    QLineEdit *m_output;
    QLabel *m_gainSummary;
    WaveformView *m_waveform;
    QPushButton *m_package;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_stage;
    QLabel *m_verdict;
    QPushButton *m_openFolder;
    QThreadPool m_pool;
    QFutureWatcher<DeliveryOutcome> m_watcher;
    std::shared_ptr<CancelToken> m_cancelToken;
    std::optional<DeliveryOutcome> m_outcome;
};

}  // namespace stemship::gui
