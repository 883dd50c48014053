#include "pages/deliverpage.h"

#include "delivery/packager.h"
#include "delivery/profilegate.h"
#include "delivery/timeline.h"
#include "session/deliverysession.h"
#include "jobs.h"
#include "pages/pagehelpers.h"
#include "session.h"
#include "theme.h"
#include "widgets/banner.h"
#include "widgets/profilepicker.h"
#include "widgets/waveformview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace stemship::gui {

DeliverPage::DeliverPage(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    setAccessibleName(QStringLiteral("Deliver page"));
    m_pool.setMaxThreadCount(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kPageMargin, kPageMargin, kPageMargin, kPageMargin);
    layout->setSpacing(kSpacing);
    layout->addWidget(makePageHeader(QStringLiteral("Deliver"),
                                     QStringLiteral("Align, level and package the stems as one verified zip: every WAV "
                                                    "starts on the same bar line and has the same length."),
                                     this));
    m_banner = new Banner(this);
    layout->addWidget(m_banner);

    auto *panel = makePanel(this);
    auto *grid = new QGridLayout(panel);
    grid->setContentsMargins(16, 14, 16, 14);
    grid->setHorizontalSpacing(16);
    grid->setVerticalSpacing(8);
    const auto label = [panel](const QString &text) { return makeSectionLabel(text, panel); };

    m_title = new QLineEdit(panel);
    m_title->setAccessibleName(QStringLiteral("Title"));
    m_title->setPlaceholderText(QStringLiteral("Song title"));
    m_version = new QLineEdit(panel);
    m_version->setAccessibleName(QStringLiteral("Version"));
    m_version->setPlaceholderText(QStringLiteral("e.g. mix-v3 (required)"));
    m_tempo = new QDoubleSpinBox(panel);
    m_tempo->setAccessibleName(QStringLiteral("Tempo"));
    m_tempo->setRange(20.0, 400.0);
    m_tempo->setDecimals(2);
    m_tempo->setValue(120.0);
    m_tempo->setSuffix(QStringLiteral(" BPM"));
    m_tempo->setFont(theme::monospaceFont());
    m_beatsPerBar = new QSpinBox(panel);
    m_beatsPerBar->setAccessibleName(QStringLiteral("Beats per bar"));
    m_beatsPerBar->setRange(1, 32);
    m_beatsPerBar->setValue(4);
    m_beatUnit = new QComboBox(panel);
    m_beatUnit->setAccessibleName(QStringLiteral("Beat unit"));
    for (int unit : {2, 4, 8, 16})
        m_beatUnit->addItem(QString::number(unit), unit);
    m_beatUnit->setCurrentIndex(1);
    auto *signature = new QWidget(panel);
    auto *signatureRow = new QHBoxLayout(signature);
    signatureRow->setContentsMargins(0, 0, 0, 0);
    signatureRow->addWidget(m_beatsPerBar);
    signatureRow->addWidget(new QLabel(QStringLiteral("/"), signature));
    signatureRow->addWidget(m_beatUnit);
    signatureRow->addStretch();
    m_barOne = new QDoubleSpinBox(panel);
    m_barOne->setAccessibleName(QStringLiteral("Bar one position in seconds"));
    m_barOne->setRange(0.0, 36000.0);
    m_barOne->setDecimals(3);
    m_barOne->setSingleStep(0.01);
    m_barOne->setSuffix(QStringLiteral(" s"));
    m_barOne->setFont(theme::monospaceFont());
    m_sampleRate = new QComboBox(panel);
    m_sampleRate->setAccessibleName(QStringLiteral("Delivery sample rate"));
    for (int rate : {44100, 48000, 88200, 96000})
        m_sampleRate->addItem(QStringLiteral("%1 Hz").arg(rate), rate);
    m_sampleRate->setCurrentIndex(1);
    m_bitDepth = new QComboBox(panel);
    m_bitDepth->setAccessibleName(QStringLiteral("Delivery bit depth"));
    for (int depth : {16, 24, 32})
        m_bitDepth->addItem(QStringLiteral("%1-bit").arg(depth), depth);
    m_bitDepth->setCurrentIndex(1);
    m_output = new QLineEdit(panel);
    m_output->setAccessibleName(QStringLiteral("Output zip"));
    m_output->setPlaceholderText(QStringLiteral("/path/to/delivery.zip"));
    auto *browse = new QPushButton(QStringLiteral("Browse\u2026"), panel);
    browse->setAccessibleName(QStringLiteral("Choose the output zip"));
    auto *outputBox = new QWidget(panel);
    auto *outputRow = new QHBoxLayout(outputBox);
    outputRow->setContentsMargins(0, 0, 0, 0);
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browse);
    m_gainSummary = new QLabel(panel);
    m_gainSummary->setAccessibleName(QStringLiteral("Gain settings"));
    auto *changeGain = new QPushButton(QStringLiteral("Change\u2026"), panel);
    changeGain->setAccessibleName(QStringLiteral("Change the gain settings"));
    auto *gainBox = new QWidget(panel);
    auto *gainRow = new QHBoxLayout(gainBox);
    gainRow->setContentsMargins(0, 0, 0, 0);
    gainRow->addWidget(m_gainSummary, 1);
    gainRow->addWidget(changeGain);

    grid->addWidget(label(QStringLiteral("Title")), 0, 0);
    grid->addWidget(m_title, 1, 0);
    grid->addWidget(label(QStringLiteral("Version")), 0, 1);
    grid->addWidget(m_version, 1, 1);
    grid->addWidget(label(QStringLiteral("Tempo")), 0, 2);
    grid->addWidget(m_tempo, 1, 2);
    grid->addWidget(label(QStringLiteral("Time signature")), 0, 3);
    grid->addWidget(signature, 1, 3);
    grid->addWidget(label(QStringLiteral("Bar one")), 0, 4);
    grid->addWidget(m_barOne, 1, 4);
    grid->addWidget(label(QStringLiteral("Format")), 2, 0);
    auto *formatBox = new QWidget(panel);
    auto *formatRow = new QHBoxLayout(formatBox);
    formatRow->setContentsMargins(0, 0, 0, 0);
    formatRow->addWidget(m_sampleRate);
    formatRow->addWidget(m_bitDepth);
    // The profile sets rate, depth and ceiling, and the delivered files must meet it (core delivery/profilegate).
    m_profilePicker = new ProfilePicker(session, false, formatBox);
    formatRow->addWidget(m_profilePicker);
    formatRow->addStretch();
    grid->addWidget(formatBox, 3, 0);
    grid->addWidget(label(QStringLiteral("Output")), 2, 1, 1, 2);
    grid->addWidget(outputBox, 3, 1, 1, 2);
    grid->addWidget(label(QStringLiteral("Gain")), 2, 3, 1, 2);
    grid->addWidget(gainBox, 3, 3, 1, 2);
    // Session files: what `package --session` adds, so the receiving engineer opens the stems in place.
    m_sessionDawProject = new QCheckBox(QStringLiteral("DAWproject"), panel);
    m_sessionDawProject->setToolTip(QStringLiteral("Bitwig Studio, Studio One, Cubase and other DAWproject importers"));
    m_sessionRpp = new QCheckBox(QStringLiteral("REAPER"), panel);
    m_sessionMidi = new QCheckBox(QStringLiteral("MIDI tempo map"), panel);
    m_sessionMidi->setToolTip(QStringLiteral("Pro Tools, Logic, Live: import its tempo map, drop the WAVs at the start"));
    auto *sessionBox = new QWidget(panel);
    auto *sessionRow = new QHBoxLayout(sessionBox);
    sessionRow->setContentsMargins(0, 0, 0, 0);
    for (QCheckBox *box : {m_sessionDawProject, m_sessionRpp, m_sessionMidi}) {
        box->setAccessibleName(QStringLiteral("Session file: ") + box->text());
        sessionRow->addWidget(box);
    }
    sessionRow->addStretch();
    grid->addWidget(label(QStringLiteral("Session files")), 4, 0, 1, 5);
    grid->addWidget(sessionBox, 5, 0, 1, 5);
    m_align = new QCheckBox(panel);
    m_align->setAccessibleName(QStringLiteral("Align the stems to the reference mix"));
    m_align->setToolTip(QStringLiteral("Shift each stem by its offset against the reference mix (sample-exact) and correct its polarity; "
                                       "the null test is then recomputed on the aligned stems"));
    auto updateAlign = [this] {
        const QString path = m_session->referencePath();
        m_align->setEnabled(!path.isEmpty());
        m_align->setText(path.isEmpty() ? QStringLiteral("Align to a reference mix (choose one on the Audit page)")
                                        : QStringLiteral("Align the stems to %1 (offsets and polarity)").arg(QFileInfo(path).fileName()));
        if (path.isEmpty())
            m_align->setChecked(false);
    };
    updateAlign();
    connect(m_session, &Session::referenceChanged, this, updateAlign);
    grid->addWidget(label(QStringLiteral("Reference mix")), 6, 0, 1, 5);
    grid->addWidget(m_align, 7, 0, 1, 5);
    for (int column = 0; column < 5; ++column)
        grid->setColumnStretch(column, 1);
    layout->addWidget(panel);

    auto *waveHeader = new QHBoxLayout;
    waveHeader->addWidget(makeSectionLabel(QStringLiteral("Bar one \u00b7 click or drag on the waveform; \u2190 \u2192 nudge"), this));
    waveHeader->addStretch();
    m_waveformStem = new QComboBox(this);
    m_waveformStem->setAccessibleName(QStringLiteral("Stem shown in the waveform"));
    m_waveformStem->setMinimumWidth(220);
    waveHeader->addWidget(m_waveformStem);
    layout->addLayout(waveHeader);
    m_waveform = new WaveformView(this);
    m_waveform->setClickAction(WaveformView::ClickAction::SetBarOne);
    m_waveform->setBarOne(0.0);
    m_waveform->setMinimumHeight(150);
    m_waveform->setMaximumHeight(260);
    layout->addWidget(m_waveform, 1);

    auto *actions = new QHBoxLayout;
    actions->setSpacing(8);
    m_package = new QPushButton(QStringLiteral("Package"), this);
    theme::setTintedIcon(m_package, QStringLiteral("page-deliver"));
    m_package->setAccessibleName(QStringLiteral("Package the delivery"));
    m_package->setDefault(true);
    m_package->setMinimumWidth(120);
    m_cancel = new QPushButton(QStringLiteral("Cancel"), this);
    m_cancel->setAccessibleName(QStringLiteral("Cancel packaging"));
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setAccessibleName(QStringLiteral("Packaging progress"));
    m_progress->setRange(0, kProgressRange);
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    m_stage = new QLabel(this);
    m_stage->setObjectName(QStringLiteral("pageSubtitle"));
    actions->addWidget(m_package);
    actions->addWidget(m_cancel);
    actions->addWidget(m_progress, 1);
    actions->addWidget(m_stage);
    actions->addStretch();
    layout->addLayout(actions);

    auto *resultPanel = makePanel(this);
    auto *resultRow = new QHBoxLayout(resultPanel);
    resultRow->setContentsMargins(16, 10, 16, 10);
    m_verdict = new QLabel(QStringLiteral("No delivery yet."), resultPanel);
    m_verdict->setAccessibleName(QStringLiteral("Verify verdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_openFolder = new QPushButton(QStringLiteral("Open folder"), resultPanel);
    m_openFolder->setAccessibleName(QStringLiteral("Open the delivery folder"));
    m_openFolder->setEnabled(false);
    resultRow->addWidget(m_verdict, 1);
    resultRow->addWidget(m_openFolder);
    layout->addWidget(resultPanel);
    layout->addStretch();

    connect(browse, &QPushButton::clicked, this, &DeliverPage::chooseOutput);
    connect(changeGain, &QPushButton::clicked, this, &DeliverPage::gainPageRequested);
    connect(m_package, &QPushButton::clicked, this, &DeliverPage::startPackaging);
    connect(m_cancel, &QPushButton::clicked, this, &DeliverPage::cancelPackaging);
    connect(m_openFolder, &QPushButton::clicked, this, [this] {
        if (m_outcome && m_outcome->result)
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_outcome->result->outputPath).absolutePath()));
    });
    connect(&m_watcher, &QFutureWatcher<DeliveryOutcome>::progressValueChanged, m_progress, &QProgressBar::setValue);
    connect(&m_watcher, &QFutureWatcher<DeliveryOutcome>::progressTextChanged, m_stage, &QLabel::setText);
    connect(&m_watcher, &QFutureWatcher<DeliveryOutcome>::finished, this, &DeliverPage::onFinished);
    connect(m_waveform, &WaveformView::barOneChanged, this, [this](double seconds) {
        const QSignalBlocker blocker(m_barOne);
        m_barOne->setValue(seconds);
    });
    connect(m_barOne, &QDoubleSpinBox::valueChanged, this, [this](double seconds) { m_waveform->setBarOne(seconds); });
    connect(m_tempo, &QDoubleSpinBox::valueChanged, this, &DeliverPage::updateGrid);
    connect(m_beatsPerBar, &QSpinBox::valueChanged, this, &DeliverPage::updateGrid);
    connect(m_beatUnit, &QComboBox::currentIndexChanged, this, &DeliverPage::updateGrid);
    connect(m_waveformStem, &QComboBox::currentIndexChanged, this, [this](int index) {
        const auto &report = m_session->report();
        if (!report || index < 0 || index >= report->stems.size()) {
            m_waveform->clear(QStringLiteral("The waveform appears after the audit"));
            return;
        }
        const audit::StemReport &stem = report->stems.at(index);
        m_waveform->setOverview(stem.overview, stem.info.durationSeconds());
    });
    connect(session, &Session::reportChanged, this, &DeliverPage::refreshFromSession);
    connect(session, &Session::inputsChanged, this, &DeliverPage::refreshFromSession);
    connect(session, &Session::gainSettingsChanged, this, &DeliverPage::refreshGainSummary);
    connect(session, &Session::profileChanged, this, &DeliverPage::showProfileFormat);
    connect(m_profilePicker, &ProfilePicker::problem, this, [this](const QString &text) {
        m_banner->showMessage(theme::Status::Error, text);
    });
    connect(session, &Session::templateChanged, this, [this] {
        if (const auto &tmpl = m_session->sessionTemplate()) {
            m_tempo->setValue(tmpl->tempoBpm);
            m_beatsPerBar->setValue(tmpl->timeSignatureNumerator);
            m_beatUnit->setCurrentIndex(m_beatUnit->findData(tmpl->timeSignatureDenominator));
            m_title->setPlaceholderText(tmpl->title);
        }
        refreshGainSummary();
    });
    refreshFromSession();
    refreshGainSummary();
    updateGrid();
}

DeliverPage::~DeliverPage()
{
    cancelPackaging();
    m_watcher.waitForFinished();
}

void DeliverPage::updateGrid()
{
    m_waveform->setBarGrid(delivery::barSeconds(m_tempo->value(), m_beatsPerBar->value(), m_beatUnit->currentData().toInt()));
}

void DeliverPage::refreshFromSession()
{
    const QSignalBlocker blocker(m_waveformStem);
    m_waveformStem->clear();
    const auto &report = m_session->report();
    int loudest = -1;
    double loudestLufs = -INFINITY;
    if (report) {
        for (qsizetype i = 0; i < report->stems.size(); ++i) {
            const audit::StemReport &stem = report->stems.at(i);
            m_waveformStem->addItem(QFileInfo(stem.path).fileName());
            // Show the stem with the most programme first: the one where bar one is easiest to see.
            if (stem.readable && stem.levels.integratedLufs > loudestLufs) {
                loudestLufs = stem.levels.integratedLufs;
                loudest = int(i);
            }
        }
    }
    if (loudest >= 0) {
        m_waveformStem->setCurrentIndex(loudest);
        const audit::StemReport &stem = report->stems.at(loudest);
        m_waveform->setOverview(stem.overview, stem.info.durationSeconds());
    } else {
        m_waveform->clear(m_session->isEmpty() ? QStringLiteral("Open stems to deliver")
                                               : QStringLiteral("The waveform appears after the audit"));
    }
    if (m_output->text().isEmpty() && !m_session->inputs().isEmpty()) {
        const QFileInfo first(m_session->inputs().constFirst());
        const QString folder = first.isDir() ? first.absoluteFilePath() : first.absolutePath();
        m_output->setText(QDir(folder).filePath(QStringLiteral("delivery.zip")));
    }
}

void DeliverPage::refreshGainSummary()
{
    // The job's own settings, so a profile's target and ceiling show as the delivery will use them.
    const delivery::DeliverySpec job = spec();
    QString text = QString::fromLatin1(gain::gainModeName(job.gainMode));
    if (job.gainMode != gain::GainMode::None)
        text += job.targetDb ? QStringLiteral(" to %1").arg(*job.targetDb, 0, 'f', 1) : QStringLiteral(" to template targets");
    if (job.gainMode == gain::GainMode::Balanced)
        text += QStringLiteral(" (by %1)").arg(QString::fromLatin1(gain::measureName(job.measure)));
    text += QStringLiteral(" \u00b7 ceiling %1 dBTP").arg(job.ceilingDbtp.value_or(-1.0), 0, 'f', 1);
    if (job.profile)
        text += QStringLiteral(" \u00b7 profile %1").arg(job.profile->name);
    m_gainSummary->setText(text);
}

void DeliverPage::chooseOutput()
{
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Delivery zip"), m_output->text(),
                                                      QStringLiteral("Zip (*.zip)"));
    if (!path.isEmpty())
        m_output->setText(path.endsWith(QLatin1String(".zip"), Qt::CaseInsensitive) ? path : path + QStringLiteral(".zip"));
}

delivery::DeliverySpec DeliverPage::spec() const
{
    delivery::DeliverySpec spec;
    spec.sources = m_session->stemSources();
    spec.referencePath = m_session->referencePath();
    spec.alignToReference = m_align->isChecked() && !spec.referencePath.isEmpty();
    spec.outputPath = m_output->text().trimmed();
    spec.sessionTemplate = m_session->sessionTemplate();
    spec.title = m_title->text().trimmed();
    spec.version = m_version->text().trimmed();
    spec.tempoBpm = m_tempo->value();
    spec.beatsPerBar = m_beatsPerBar->value();
    spec.beatUnit = m_beatUnit->currentData().toInt();
    spec.barOneSeconds = m_barOne->value();
    const GainSettings &gain = m_session->gainSettings();
    spec.gainMode = gain.mode;
    spec.targetDb = gain.targetDb;
    spec.measure = gain.measure;
    spec.ceilingDbtp = gain.ceilingDbtp;
    spec.sampleRateHz = m_sampleRate->currentData().toInt();
    spec.bitDepth = m_bitDepth->currentData().toInt();
    // The page's format and ceiling are defaults here: the profile's own values replace them.
    if (const auto &profile = m_session->profile())
        delivery::applyProfile(&spec, *profile, {});
    if (const auto &report = m_session->report())
        spec.auditFindings = report->findingLines();
    return spec;
}

void DeliverPage::startPackaging()
{
    if (m_watcher.isRunning())
        return;
    const delivery::DeliverySpec job = spec();
    QStringList missing;
    if (job.sources.isEmpty())
        missing.append(QStringLiteral("stems to deliver (open them first)"));
    if (job.version.isEmpty())
        missing.append(QStringLiteral("a version"));
    if (job.outputPath.isEmpty())
        missing.append(QStringLiteral("an output path"));
    if (!missing.isEmpty()) {
        m_banner->showMessage(theme::Status::Warning, QStringLiteral("Packaging needs %1.").arg(missing.join(QStringLiteral(", "))));
        return;
    }
    m_banner->clear();
    m_outcome.reset();
    m_cancelToken = std::make_shared<CancelToken>();
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_package->setEnabled(false);
    m_cancel->setEnabled(true);
    m_openFolder->setEnabled(false);
    m_verdict->setText(QStringLiteral("Packaging\u2026"));
    QList<session::SessionFormat> formats;
    for (const auto &[box, format] : {std::pair{m_sessionDawProject, session::SessionFormat::DawProject},
                                      std::pair{m_sessionRpp, session::SessionFormat::Rpp}, std::pair{m_sessionMidi, session::SessionFormat::Midi}})
        if (box->isChecked())
            formats.append(format);
    m_watcher.setFuture(startJob<DeliveryOutcome>(&m_pool, m_cancelToken, [job, formats](const ProgressSink &progress, const CancelToken &cancel) {
        DeliveryOutcome outcome;
        delivery::DeliveryHooks hooks;
        if (!formats.isEmpty())
            hooks.beforeAssembly = [&job, &formats](delivery::DeliveryResult &r) { return session::addSessionFiles(job, r, formats); };
        auto result = delivery::packageStems(
            job, [&progress](double fraction, const QString &stage) { progress(fraction * 0.95, stage); }, cancel, hooks);
        if (cancel.cancelled()) {
            outcome.cancelled = true;
            return outcome;
        }
        if (!result.ok()) {
            outcome.error = result.error();
            return outcome;
        }
        progress(0.96, QStringLiteral("verifying"));
        outcome.verify = delivery::verifyDelivery(result->outputPath, &cancel);
        outcome.result = std::move(result.value());
        progress(1.0, QStringLiteral("done"));
        return outcome;
    }));
}

void DeliverPage::cancelPackaging()
{
    if (m_cancelToken)
        m_cancelToken->cancel();
}

void DeliverPage::onFinished()
{
    m_progress->setVisible(false);
    m_package->setEnabled(true);
    m_cancel->setEnabled(false);
    m_stage->clear();
    const QFuture<DeliveryOutcome> future = m_watcher.future();
    if (future.resultCount() == 0) {
        m_verdict->setText(QStringLiteral("Packaging stopped without a result."));
        return;
    }
    m_outcome = future.result();
    const QPalette p = palette();
    const auto coloured = [&p](theme::Status status, const QString &text) {
        return QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>").arg(theme::statusColour(status, p).name(), text);
    };
    if (m_outcome->cancelled) {
        m_verdict->setText(QStringLiteral("Cancelled: nothing was written beside the output."));
    } else if (m_outcome->error) {
        m_verdict->setText(coloured(theme::Status::Error, QStringLiteral("Not delivered")));
        m_banner->showMessage(theme::Status::Error, m_outcome->error->line());
    } else if (m_outcome->result && m_outcome->verify) {
        const delivery::DeliveryResult &result = *m_outcome->result;
        const delivery::VerifyReport &verify = *m_outcome->verify;
        int limited = 0;
        for (const delivery::DeliveredStem &stem : result.stems)
            limited += stem.limitedByCeiling ? 1 : 0;
        QString text = verify.ok ? coloured(theme::Status::Ok, QStringLiteral("Verified"))
                                 : coloured(theme::Status::Error, QStringLiteral("Does not verify"));
        text += QStringLiteral(" \u00b7 %1 \u00b7 %2 stems, %3 Hz / %4-bit")
                    .arg(result.outputPath.toHtmlEscaped())
                    .arg(result.stems.size())
                    .arg(result.timeline.sampleRateHz)
                    .arg(m_bitDepth->currentData().toInt());
        if (!result.skipped.isEmpty())
            text += QStringLiteral(" \u00b7 %1 skipped").arg(result.skipped.size());
        if (limited > 0)
            text += QStringLiteral(" \u00b7 %1 limited by the ceiling").arg(limited);
        for (const Error &problem : verify.problems)
            text += QStringLiteral("<br>") + problem.line().toHtmlEscaped();
        m_verdict->setText(text);
        m_openFolder->setEnabled(true);
    }
    Q_EMIT packagingFinished();
}

void DeliverPage::showProfileFormat()
{
    // What the profile fixes is shown, and cannot be changed while it is chosen.
    const auto &profile = m_session->profile();
    const bool fixedRate = profile && profile->sampleRateHz && m_sampleRate->findData(*profile->sampleRateHz) >= 0;
    const bool fixedDepth = profile && profile->bitDepth && m_bitDepth->findData(*profile->bitDepth) >= 0;
    if (fixedRate)
        m_sampleRate->setCurrentIndex(m_sampleRate->findData(*profile->sampleRateHz));
    if (fixedDepth)
        m_bitDepth->setCurrentIndex(m_bitDepth->findData(*profile->bitDepth));
    m_sampleRate->setEnabled(!fixedRate);
    m_bitDepth->setEnabled(!fixedDepth);
    refreshGainSummary();
}

}  // namespace stemship::gui
