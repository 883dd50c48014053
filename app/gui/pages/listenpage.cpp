#include "pages/listenpage.h"

#include "audio/playbackengine.h"
#include "models/mixermodel.h"
#include "pages/pagehelpers.h"
#include "session.h"
#include "theme.h"
#include "widgets/banner.h"
#include "widgets/channelmeters.h"
#include "widgets/delegates.h"
#include "widgets/levelbardelegate.h"
#include "widgets/meterbridge.h"
#include "widgets/waveformview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace stemship::gui {

ListenPage::ListenPage(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_engine(new PlaybackEngine(this)), m_mixer(new MixerModel(m_engine, this))
{
    setAccessibleName(QStringLiteral("Listen page"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kPageMargin, kPageMargin, kPageMargin, kPageMargin);
    layout->setSpacing(kSpacing);
    layout->addWidget(makePageHeader(QStringLiteral("Listen"),
                                     QStringLiteral("Play the set or one stem. Solo and mute per stem; the meters "
                                                    "measure what you hear (BS.1770 loudness, 4\u00d7 true peak)."),
                                     this));
    m_banner = new Banner(this);
    layout->addWidget(m_banner);
    layout->addLayout(buildTransport());

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(8);
    buildStemTable(left);
    leftLayout->addWidget(m_view, 1);
    leftLayout->addLayout(buildWaveformRow(left));
    splitter->addWidget(left);
    splitter->addWidget(buildMeterPanel(splitter));
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    connectSignals();

    m_tick.setInterval(MeterBridge::kPollIntervalMs);
    connect(&m_tick, &QTimer::timeout, this, &ListenPage::tick);
    m_tick.start();
    reloadStems();
}

QLayout *ListenPage::buildTransport()
{
    auto *transport = new QHBoxLayout;
    transport->setSpacing(8);
    m_play = new QPushButton(QStringLiteral("Play"), this);
    theme::setTintedIcon(m_play, QStringLiteral("play"));
    m_play->setAccessibleName(QStringLiteral("Play or stop"));
    m_play->setToolTip(QStringLiteral("Play / stop (Space)"));
    m_play->setMinimumWidth(96);
    m_soloSelected = new QPushButton(QStringLiteral("Play selected only"), this);
    m_soloSelected->setAccessibleName(QStringLiteral("Play the selected stem only"));
    m_clear = new QPushButton(QStringLiteral("Clear solo/mute"), this);
    m_clear->setAccessibleName(QStringLiteral("Clear solo and mute"));
    m_position = new QLabel(this);
    m_position->setFont(theme::monospaceFont(2));
    m_position->setAccessibleName(QStringLiteral("Playback position"));
    m_output = new QLabel(this);
    m_output->setObjectName(QStringLiteral("pageSubtitle"));
    m_output->setAccessibleName(QStringLiteral("Audio output"));
    transport->addWidget(m_play);
    transport->addSpacing(6);
    transport->addWidget(m_position);
    transport->addSpacing(12);
    transport->addWidget(m_soloSelected);
    transport->addWidget(m_clear);
    transport->addStretch();
    transport->addWidget(m_output);
    return transport;

}

void ListenPage::buildStemTable(QWidget *left)
{
    m_view = new QTableView(left);
    m_view->setAccessibleName(QStringLiteral("Stems to play"));
    m_view->setModel(m_mixer);
    setupTable(m_view);
    m_view->setItemDelegateForColumn(MixerModel::Level, new LevelBarDelegate(MixerModel::LevelDbRole, m_view));
    m_view->setItemDelegateForColumn(MixerModel::Solo, new ToggleButtonDelegate(QStringLiteral("S"), theme::meterCaution(), m_view));
    m_view->setItemDelegateForColumn(MixerModel::Mute, new ToggleButtonDelegate(QStringLiteral("M"), theme::meterDanger(), m_view));
    m_view->horizontalHeader()->setSectionResizeMode(MixerModel::Stem, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(MixerModel::Note, QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->setColumnWidth(MixerModel::Level, 140);
    m_view->setColumnWidth(MixerModel::Solo, 36);
    m_view->setColumnWidth(MixerModel::Mute, 36);
    m_view->setColumnWidth(MixerModel::Format, 130);
    m_view->setColumnWidth(MixerModel::Note, 200);
}

QLayout *ListenPage::buildWaveformRow(QWidget *left)
{
    // The waveform, and beside it the selected stem's channel meters when it has 3 or more channels (the mix bus
    // keeps the meter column's full height).
    auto *below = new QHBoxLayout;
    below->setSpacing(kSpacing);
    auto *waveColumn = new QVBoxLayout;
    waveColumn->setSpacing(8);
    waveColumn->addWidget(makeSectionLabel(QStringLiteral("Waveform \u00b7 click to move the playhead"), left));
    m_waveform = new WaveformView(left);
    m_waveform->setClickAction(WaveformView::ClickAction::Seek);
    m_waveform->setMinimumHeight(120);
    waveColumn->addWidget(m_waveform, 1);
    below->addLayout(waveColumn, 1);
    m_channelPanel = new QWidget(left);
    auto *channelLayout = new QVBoxLayout(m_channelPanel);
    channelLayout->setContentsMargins(0, 0, 0, 0);
    channelLayout->setSpacing(8);
    channelLayout->addWidget(makeSectionLabel(QStringLiteral("Selected stem \u00b7 channels"), m_channelPanel));
    m_channels = new ChannelMeters(m_channelPanel);
    m_channels->setFixedHeight(190);
    channelLayout->addWidget(m_channels);
    m_channelPanel->hide();
    below->addWidget(m_channelPanel);
    return below;
}

QWidget *ListenPage::buildMeterPanel(QWidget *parent)
{
    auto *meterPanel = makePanel(parent);
    auto *meterLayout = new QVBoxLayout(meterPanel);
    meterLayout->setContentsMargins(14, 12, 14, 12);
    meterLayout->addWidget(makeSectionLabel(QStringLiteral("Mix bus"), meterPanel));
    m_bridge = new MeterBridge(meterPanel);
    meterLayout->addWidget(m_bridge, 1);
    m_bridge->setSource(
        [this] {
            MeterFrame frame;
            frame.live = m_engine->live();
            frame.channelPeaks = m_engine->takeChannelPeaks();
            return frame;
        },
        [this] { m_engine->resetPeakHold(); });
    return meterPanel;
}

void ListenPage::connectSignals()
{
    connect(m_play, &QPushButton::clicked, this, &ListenPage::togglePlayback);
    connect(m_soloSelected, &QPushButton::clicked, this, &ListenPage::playSelectedStemOnly);
    connect(m_clear, &QPushButton::clicked, this, [this] {
        m_engine->clearSoloAndMute();
        m_mixer->reload();
    });
    connect(m_engine, &PlaybackEngine::playingChanged, this, [this](bool playing) {
        m_play->setText(playing ? QStringLiteral("Stop") : QStringLiteral("Play"));
        theme::setTintedIcon(m_play, playing ? QStringLiteral("stop") : QStringLiteral("play"));
        updateOutputNotice();
    });
    connect(m_engine, &PlaybackEngine::outputProblem, this,
            [this](const QString &message) { m_banner->showMessage(theme::Status::Warning, message); });
    connect(m_waveform, &WaveformView::seekRequested, m_engine, &PlaybackEngine::seek);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ListenPage::showSelectedWaveform);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ListenPage::showSelectedChannels);
    connect(m_session, &Session::inputsChanged, this, &ListenPage::reloadStems);
    connect(m_session, &Session::reportChanged, this, &ListenPage::showSelectedWaveform);
    connect(m_session, &Session::templateChanged, this, [this] {
        const auto &tmpl = m_session->sessionTemplate();
        if (tmpl && tmpl->defaultTarget.measure == templates::TargetMeasure::Lufs)
            m_bridge->setLoudnessTarget(tmpl->defaultTarget.valueDb);
    });
}

ListenPage::~ListenPage()
{
    m_engine->stop();
}

int ListenPage::selectedRow() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void ListenPage::togglePlayback()
{
    if (m_engine->stems().isEmpty()) {
        m_banner->showMessage(theme::Status::Info, QStringLiteral("Open stems first: drop files, a folder or a delivery zip anywhere in the window."));
        return;
    }
    m_engine->togglePlayback();
}

void ListenPage::playSelectedStemOnly()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    m_engine->soloOnly(row);
    m_mixer->reload();
    m_view->selectRow(row);
    if (!m_engine->isPlaying())
        m_engine->play();
}

void ListenPage::reloadStems()
{
    const QList<Error> errors = m_engine->setStems(m_session->sources());
    m_mixer->reload();
    QStringList lines;
    for (const Error &error : errors)
        lines.append(error.line());
    if (!lines.isEmpty())
        m_banner->showMessages(theme::Status::Warning, lines);
    else
        m_banner->clear();
    if (m_mixer->rowCount() > 0)
        m_view->selectRow(0);
    showSelectedWaveform();
    showSelectedChannels();
    updateOutputNotice();
}

void ListenPage::showSelectedWaveform()
{
    const int row = selectedRow();
    if (row < 0 || row >= m_engine->stems().size()) {
        m_waveform->clear(m_engine->stems().isEmpty() ? QStringLiteral("Drop stems anywhere to listen")
                                                      : QStringLiteral("Select a stem"));
        return;
    }
    const audit::StemReport *report = m_session->stemReport(m_engine->stems().at(row).path);
    if (!report || report->overview.maximum.empty()) {
        m_waveform->clear(QStringLiteral("The waveform appears when the audit has measured this stem"));
        return;
    }
    m_waveform->setOverview(report->overview, report->info.durationSeconds());
}

void ListenPage::showSelectedChannels()
{
    // A multichannel stem's channels get their own meters: the mix bus folds them to stereo, which hides a dead
    // surround or a hot LFE. Mono and stereo stems are what the mix bus meters already show.
    const int row = selectedRow();
    const bool multichannel = row >= 0 && row < m_engine->stems().size() && m_engine->stems().at(row).playable
        && m_engine->stems().at(row).channels >= 3;
    m_channelPanel->setVisible(multichannel);
    if (!multichannel) {
        m_channels->setChannels(QString(), {});
        return;
    }
    const PlaybackStem &stem = m_engine->stems().at(row);
    m_channels->setChannels(QStringLiteral("%1 \u00b7 %2").arg(stem.name, stem.layout), stem.channelLabels);
    m_engine->takeStemChannelPeaks(row);  // start a fresh window for this stem
}

void ListenPage::updateOutputNotice()
{
    const bool device = m_engine->hasOutputDevice() && m_engine->output() != PlaybackEngine::Output::SilentClock;
    QString text = m_engine->outputDescription();
    if (!m_engine->hasOutputDevice()) {
        text = QStringLiteral("No audio output device \u00b7 meters run on a silent clock");
        if (m_banner->isHidden())
            m_banner->showMessage(theme::Status::Info,
                                  QStringLiteral("No audio output device was found. Playback runs on a silent "
                                                 "real-time clock, so the meters and the playhead still work."));
    }
    m_output->setText((device || m_engine->hasOutputDevice() ? QStringLiteral("Output: ") : QString()) + text);
}

void ListenPage::tick()
{
    if (!isVisible())
        return;
    m_mixer->refreshLevels();
    const double position = m_engine->positionSeconds();
    m_position->setText(formatTime(position) + QStringLiteral(" / ") + formatTime(m_engine->durationSeconds()));
    m_waveform->setPlayhead(m_engine->stems().isEmpty() ? std::nullopt : std::optional(position));
    if (m_channelPanel->isVisible())
        m_channels->showPeaks(m_engine->takeStemChannelPeaks(selectedRow()));
}

}  // namespace stemship::gui
