#include "pages/deliverpage.h"

#include "delivery/packager.h"
#include "delivery/profilegate.h"
#include "delivery/timeline.h"
#include "session/deliverysession.h"
#include "jobs.h"
#include "pages/pagehelpers.h"
#include "session.h"
#include "theme.h"
#include "util/counted.h"
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

    layout->addWidget(buildFormPanel());
    buildWaveform(layout);
    layout->addLayout(buildActions());
    layout->addWidget(buildResultPanel());
    layout->addStretch();
    connectSignals();
    refreshFromSession();
    refreshGainSummary();
    updateGrid();
}

void DeliverPage::connectSignals()
{
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
    connect(m_numerator, &QSpinBox::valueChanged, this, &DeliverPage::updateGrid);
    connect(m_denominator, &QComboBox::currentIndexChanged, this, &DeliverPage::updateGrid);
    connect(m_waveformStem, &QComboBox::currentIndexChanged, this, [this](int index) {
        const auto &report = m_session->report();
        if (!report || index < 0 || index >= report->stems.size()) {
            m_waveform->clear(QStringLiteral("The waveform appears after the audit"));
            return;
        }
        const audit::StemReport &stem = report->stems.at(index);
        m_waveform->setOverview(stem.overview, stem.info.durationSeconds());
    });
    connect(m_session, &Session::reportChanged, this, &DeliverPage::refreshFromSession);
    connect(m_session, &Session::inputsChanged, this, &DeliverPage::refreshFromSession);
    connect(m_session, &Session::gainChoiceChanged, this, &DeliverPage::refreshGainSummary);
    connect(m_session, &Session::profileChanged, this, &DeliverPage::showProfileFormat);
    connect(m_profilePicker, &ProfilePicker::problem, this, [this](const QString &text) {
        m_banner->showMessage(theme::Status::Error, text);
    });
    connect(m_session, &Session::templateChanged, this, [this] {
        if (const auto &tmpl = m_session->sessionTemplate()) {
            m_tempo->setValue(tmpl->tempoBpm);
            m_numerator->setValue(tmpl->timeSignature.numerator);
            m_denominator->setCurrentIndex(m_denominator->findData(tmpl->timeSignature.denominator));
            m_title->setPlaceholderText(tmpl->title);
        }
        refreshGainSummary();
    });
}

DeliverPage::~DeliverPage()
{
    cancelPackaging();
    m_watcher.waitForFinished();
}

void DeliverPage::updateGrid()
{
    m_waveform->setBarGrid(delivery::barSeconds(m_tempo->value(), m_numerator->value(), m_denominator->currentData().toInt()));
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
    delivery::DeliverySpec spec = m_session->deliverySpec();
    spec.alignToReference = m_align->isChecked() && !spec.referencePath.isEmpty();
    spec.outputPath = m_output->text().trimmed();
    spec.title = m_title->text().trimmed();
    spec.version = m_version->text().trimmed();
    spec.tempoBpm = m_tempo->value();
    spec.timeSignature.numerator = m_numerator->value();
    spec.timeSignature.denominator = m_denominator->currentData().toInt();
    spec.barOneSeconds = m_barOne->value();
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
        // The packager reads the zip back and verifies it before committing it (zipassembly.h): a result is a
        // verified delivery, so it is not read a second time here.
        auto result = delivery::packageStems(job, progress, cancel, hooks);
        if (cancel.cancelled()) {
            outcome.cancelled = true;
            return outcome;
        }
        if (!result.ok())
            outcome.error = result.error();
        else
            outcome.result = std::move(result.value());
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
    } else if (m_outcome->result) {
        const delivery::DeliveryResult &result = *m_outcome->result;
        int limited = 0;
        for (const delivery::DeliveredStem &stem : result.stems)
            limited += stem.limitedByCeiling ? 1 : 0;
        QString text = coloured(theme::Status::Ok, QStringLiteral("Verified"));
        text += QStringLiteral(" \u00b7 %1 \u00b7 %2, %3 Hz / %4-bit")
                    .arg(result.outputPath.toHtmlEscaped(), counted(result.stems.size(), QStringLiteral("stem")))
                    .arg(result.timeline.sampleRateHz)
                    .arg(m_bitDepth->currentData().toInt());
        if (!result.skipped.isEmpty())
            text += QStringLiteral(" \u00b7 %1 skipped").arg(result.skipped.size());
        if (limited > 0)
            text += QStringLiteral(" \u00b7 %1 limited by the ceiling").arg(limited);
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
