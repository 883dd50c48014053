#pragma once

// Listen: play the set or one stem through the audio output, solo/mute per stem, and watch the meter bridge.

#include <QTimer>
#include <QWidget>

class QLabel;
class QLayout;
class QPushButton;
class QTableView;

namespace stemship::gui {

class Banner;
class ChannelMeters;
class MeterBridge;
class MixerModel;
class PlaybackEngine;
class Session;
class WaveformView;

class ListenPage : public QWidget {
    Q_OBJECT

public:
    explicit ListenPage(Session *session, QWidget *parent = nullptr);
    ~ListenPage() override;

    PlaybackEngine *engine() const { return m_engine; }
    MeterBridge *meterBridge() const { return m_bridge; }
    ChannelMeters *channelMeters() const { return m_channels; }
    MixerModel *mixerModel() const { return m_mixer; }
    QTableView *stemView() const { return m_view; }
    Banner *banner() const { return m_banner; }

    void togglePlayback();
    void playSelectedStemOnly();

private:
    QLayout *buildTransport();
    void buildStemTable(QWidget *left);
    QLayout *buildWaveformRow(QWidget *left);  // the waveform, the channel meters beside it
    QWidget *buildMeterPanel(QWidget *parent);
    void connectSignals();
    void reloadStems();
    void showSelectedWaveform();
    void showSelectedChannels();
    void tick();
    void updateOutputNotice();
    int selectedRow() const;

    Session *m_session;
    PlaybackEngine *m_engine;
    MixerModel *m_mixer;
    Banner *m_banner;
    QTableView *m_view;
    WaveformView *m_waveform;
    MeterBridge *m_bridge;
    QWidget *m_channelPanel;  // the selected stem's channel meters, shown for 3 or more channels
    ChannelMeters *m_channels;
    QPushButton *m_play;
    QPushButton *m_soloSelected;
    QPushButton *m_clear;
    QLabel *m_position;
    QLabel *m_output;
    QTimer m_tick;
};

}  // namespace stemship::gui
