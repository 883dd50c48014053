#include "pages/gainpage.h"

#include "jobs.h"
#include "models/gainplanmodel.h"
#include "pages/pagehelpers.h"
#include "session.h"
#include "theme.h"
#include "widgets/banner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace stemship::gui {

GainPage::GainPage(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_model(new GainPlanModel(this)), m_specSource([session] { return session->deliverySpec(); })
{
    setAccessibleName(QStringLiteral("Gain page"));
    m_pool.setMaxThreadCount(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kPageMargin, kPageMargin, kPageMargin, kPageMargin);
    layout->setSpacing(kSpacing);
    layout->addWidget(makePageHeader(QStringLiteral("Gain"),
                                     QStringLiteral("How the delivered stems are levelled. Gains are plain gain: the "
                                                    "ceiling lowers a gain, it never limits or compresses."),
                                     this));
    m_banner = new Banner(this);
    layout->addWidget(m_banner);
    layout->addWidget(buildChoicePanel());
    layout->addLayout(buildProgressRow());

    m_view = new QTableView(this);
    m_view->setAccessibleName(QStringLiteral("Planned gain per stem"));
    m_view->setModel(m_model);
    setupTable(m_view);
    m_view->horizontalHeader()->setSectionResizeMode(GainPlanModel::Stem, QHeaderView::Stretch);
    m_view->horizontalHeader()->setStretchLastSection(false);
    for (int column = GainPlanModel::Measured; column <= GainPlanModel::PredictedTruePeak; ++column)
        m_view->setColumnWidth(column, 130);
    m_view->setColumnWidth(GainPlanModel::Note, 260);
    layout->addWidget(m_view, 1);
    auto *footnote = new QLabel(QStringLiteral("The packager's own plan: each stem measured at the delivery rate, placed on "
                                               "the delivery's timeline (tempo and bar one from the Deliver page), so RMS "
                                               "and LUFS include the silence around a shorter stem, as in the delivered file."),
                                this);
    footnote->setObjectName(QStringLiteral("pageSubtitle"));
    footnote->setWordWrap(true);
    layout->addWidget(footnote);
    connectSignals();
    pullChoice();
    replan();
}

GainPage::~GainPage()
{
    cancelPreview();
    m_watcher.waitForFinished();
}

QWidget *GainPage::buildChoicePanel()
{
    auto *panel = makePanel(this);
    auto *form = new QHBoxLayout(panel);
    form->setContentsMargins(16, 12, 16, 12);
    form->setSpacing(24);
    const auto addField = [panel, form](const QString &title, QWidget *field, QWidget *extra = nullptr) {
        auto *column = new QVBoxLayout;
        column->setSpacing(4);
        column->addWidget(makeSectionLabel(title, panel));
        auto *row = new QHBoxLayout;
        row->setSpacing(6);
        row->addWidget(field);
        if (extra)
            row->addWidget(extra);
        column->addLayout(row);
        form->addLayout(column);
    };
    m_mode = new QComboBox(panel);
    m_mode->setAccessibleName(QStringLiteral("Gain mode"));
    m_mode->addItem(QStringLiteral("None \u00b7 as recorded"), int(gain::GainMode::None));
    m_mode->addItem(QStringLiteral("Peak \u00b7 each stem to target"), int(gain::GainMode::Peak));
    m_mode->addItem(QStringLiteral("RMS \u00b7 each stem to target"), int(gain::GainMode::Rms));
    m_mode->addItem(QStringLiteral("LUFS \u00b7 each stem to target"), int(gain::GainMode::Lufs));
    m_mode->addItem(QStringLiteral("Balanced \u00b7 one gain for all"), int(gain::GainMode::Balanced));
    addField(QStringLiteral("Mode"), m_mode);
    m_useTemplateTarget = new QCheckBox(QStringLiteral("Template's targets"), panel);
    m_useTemplateTarget->setAccessibleName(QStringLiteral("Use the template's targets"));
    m_useTemplateTarget->setToolTip(QStringLiteral("Each matched track's own target from the template; otherwise the template's default"));
    m_useTemplateTarget->setChecked(true);
    addField(QStringLiteral("Target"), buildTargetField(panel), m_useTemplateTarget);
    m_measure = new QComboBox(panel);
    m_measure->setAccessibleName(QStringLiteral("Balanced measure"));
    m_measure->addItem(QStringLiteral("Peak"), int(gain::Measure::Peak));
    m_measure->addItem(QStringLiteral("RMS"), int(gain::Measure::Rms));
    m_measure->addItem(QStringLiteral("LUFS"), int(gain::Measure::Lufs));
    m_measure->setToolTip(QStringLiteral("What balanced mode measures to find the loudest stem"));
    addField(QStringLiteral("Measure"), m_measure);
    m_ceiling = new QDoubleSpinBox(panel);
    m_ceiling->setAccessibleName(QStringLiteral("True-peak ceiling"));
    m_ceiling->setRange(-24.0, 0.0);
    m_ceiling->setDecimals(1);
    m_ceiling->setSingleStep(0.1);
    m_ceiling->setValue(-1.0);
    m_ceiling->setSuffix(QStringLiteral(" dBTP"));
    m_ceiling->setFont(theme::monospaceFont());
    addField(QStringLiteral("Ceiling"), m_ceiling);
    form->addStretch();
    return panel;
}

QWidget *GainPage::buildTargetField(QWidget *panel)
{
    m_target = new QDoubleSpinBox(panel);
    m_target->setAccessibleName(QStringLiteral("Target level"));
    m_target->setRange(-60.0, 0.0);
    m_target->setDecimals(1);
    m_target->setSingleStep(0.5);
    m_target->setValue(-18.0);
    m_target->setFont(theme::monospaceFont());
    m_targetUnit = new QLabel(QStringLiteral("dBFS"), panel);
    auto *targetBox = new QWidget(panel);
    auto *targetRow = new QHBoxLayout(targetBox);
    targetRow->setContentsMargins(0, 0, 0, 0);
    targetRow->addWidget(m_target);
    targetRow->addWidget(m_targetUnit);
    return targetBox;
}

QLayout *GainPage::buildProgressRow()
{
    auto *row = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setAccessibleName(QStringLiteral("Gain plan summary"));
    m_progress = new QProgressBar(this);
    m_progress->setAccessibleName(QStringLiteral("Measuring progress"));
    m_progress->setRange(0, kProgressRange);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(240);
    m_progress->setVisible(false);
    m_stage = new QLabel(this);
    m_stage->setObjectName(QStringLiteral("pageSubtitle"));
    m_cancel = new QPushButton(QStringLiteral("Cancel"), this);
    m_cancel->setAccessibleName(QStringLiteral("Cancel measuring"));
    m_cancel->setVisible(false);
    row->addWidget(m_summary, 1);
    row->addWidget(m_progress);
    row->addWidget(m_stage);
    row->addWidget(m_cancel);
    return row;
}

void GainPage::connectSignals()
{
    for (QComboBox *combo : {m_mode, m_measure})
        connect(combo, &QComboBox::currentIndexChanged, this, &GainPage::pushChoice);
    for (QDoubleSpinBox *spin : {m_target, m_ceiling})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &GainPage::pushChoice);
    connect(m_useTemplateTarget, &QCheckBox::toggled, this, &GainPage::pushChoice);
    connect(m_cancel, &QPushButton::clicked, this, &GainPage::cancelPreview);
    connect(&m_watcher, &QFutureWatcher<GainPreviewOutcome>::progressValueChanged, m_progress, &QProgressBar::setValue);
    connect(&m_watcher, &QFutureWatcher<GainPreviewOutcome>::progressTextChanged, m_stage, &QLabel::setText);
    connect(&m_watcher, &QFutureWatcher<GainPreviewOutcome>::finished, this, &GainPage::onMeasured);
    connect(m_session, &Session::gainChoiceChanged, this, [this] {
        pullChoice();
        onChoiceOrSessionChanged();
    });
    for (auto changed : {&Session::inputsChanged, &Session::referenceChanged, &Session::profileChanged})
        connect(m_session, changed, this, &GainPage::onChoiceOrSessionChanged);
    connect(m_session, &Session::templateChanged, this, [this] {
        // The template's one ceiling (its audit's), as the audit judges true peaks.
        if (m_session->sessionTemplate()) {
            m_updating = true;
            m_ceiling->setValue(m_session->templateCeilingDbtp());
            m_updating = false;
            pushChoice();
        }
        onChoiceOrSessionChanged();
    });
}

void GainPage::setSpecSource(SpecSource source)
{
    m_specSource = std::move(source);
}

bool GainPage::event(QEvent *event)
{
    // ShowToParent: made the stack's current page, whether or not the window is on screen yet.
    if (event->type() == QEvent::ShowToParent)
        refreshPreview();
    return QWidget::event(event);
}

void GainPage::pushChoice()
{
    if (m_updating)
        return;
    delivery::GainChoice choice;
    choice.mode = gain::GainMode(m_mode->currentData().toInt());
    choice.measure = gain::Measure(m_measure->currentData().toInt());
    choice.ceilingDbtp = m_ceiling->value();
    if (!m_useTemplateTarget->isChecked() || !m_session->sessionTemplate())
        choice.targetDb = m_target->value();
    m_session->setGainChoice(choice);
}

void GainPage::pullChoice()
{
    m_updating = true;
    const delivery::GainChoice &choice = m_session->gainChoice();
    m_mode->setCurrentIndex(m_mode->findData(int(choice.mode)));
    m_measure->setCurrentIndex(m_measure->findData(int(choice.measure)));
    m_ceiling->setValue(m_session->ceilingDbtp());
    if (choice.targetDb)
        m_target->setValue(*choice.targetDb);
    const bool haveTemplate = m_session->sessionTemplate().has_value();
    m_useTemplateTarget->setEnabled(haveTemplate && choice.mode != gain::GainMode::None);
    if (!haveTemplate)
        m_useTemplateTarget->setChecked(false);
    const bool targetApplies = choice.mode != gain::GainMode::None;
    m_target->setEnabled(targetApplies && !(haveTemplate && m_useTemplateTarget->isChecked()));
    if (!choice.targetDb)
        m_target->setValue(m_session->effectiveTargetDb());
    m_measure->setEnabled(choice.mode == gain::GainMode::Balanced);
    const gain::Measure measure = delivery::targetMeasure(choice.mode, choice.measure);
    m_targetUnit->setText(measure == gain::Measure::Lufs ? QStringLiteral("LUFS") : QStringLiteral("dBFS"));
    m_updating = false;
}

void GainPage::onChoiceOrSessionChanged()
{
    // The current page measures what changed at once; a hidden one when it is next shown.
    if (!isHidden())
        refreshPreview();
    else
        replan();
}

void GainPage::refreshPreview()
{
    const delivery::DeliverySpec spec = m_specSource();
    if (spec.sources.isEmpty()) {
        cancelPreview();
        m_measurements.reset();
        m_measuredSpec.reset();
    } else if (!(m_measuredSpec && delivery::sameMeasurementInputs(spec, *m_measuredSpec))) {
        if (!(isMeasuring() && m_measuringSpec && delivery::sameMeasurementInputs(spec, *m_measuringSpec)))
            startMeasuring(spec);
    }
    replan();
}

void GainPage::cancelPreview()
{
    if (m_cancelToken)
        m_cancelToken->cancel();
}

void GainPage::startMeasuring(const delivery::DeliverySpec &spec)
{
    cancelPreview();
    m_banner->clear();
    m_measuringSpec = spec;
    m_cancelToken = std::make_shared<CancelToken>();
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_cancel->setVisible(true);
    m_watcher.setFuture(startJob<GainPreviewOutcome>(&m_pool, m_cancelToken, [spec](const ProgressSink &progress, const CancelToken &cancel) {
        GainPreviewOutcome outcome;
        auto measured = delivery::measureForGainPreview(spec, progress, cancel);
        if (cancel.cancelled())
            outcome.cancelled = true;
        else if (!measured)
            outcome.error = measured.error();
        else
            outcome.measurements = std::move(measured.value());
        return outcome;
    }));
}

void GainPage::onMeasured()
{
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    m_stage->clear();
    const QFuture<GainPreviewOutcome> future = m_watcher.future();
    if (future.resultCount() > 0) {
        GainPreviewOutcome outcome = future.result();
        if (outcome.error)
            m_banner->showMessage(theme::Status::Error, outcome.error->line());
        if (outcome.measurements) {
            m_measurements = std::move(outcome.measurements);
            m_measuredSpec = m_measuringSpec;
        }
    }
    m_measuringSpec.reset();
    replan();
    Q_EMIT previewReady();
}

void GainPage::replan()
{
    const delivery::DeliverySpec spec = m_specSource();
    const bool fresh = m_measurements && m_measuredSpec && delivery::sameMeasurementInputs(spec, *m_measuredSpec);
    if (fresh)
        m_model->setPlan(&*m_measurements, delivery::planGainPreview(*m_measurements, spec));
    else
        m_model->setPlan(nullptr, {});
    showSummary();
}

void GainPage::showSummary()
{
    if (m_model->rowCount() == 0) {
        m_summary->setText(m_session->isEmpty() ? QStringLiteral("Open stems to plan their gains.")
                           : isMeasuring()      ? QStringLiteral("Measuring the stems as the delivery will…")
                                                : QStringLiteral("The plan appears once the stems are measured."));
        return;
    }
    // What core decided: the request it planned with (a profile may have changed the ceiling) and its plan.
    const gain::GainRequest &request = m_model->request();
    const gain::GainPlan &plan = m_model->gainPlan();
    int limited = 0;
    int silent = 0;
    for (const gain::StemGain &stem : plan.stems) {
        limited += stem.limitedByCeiling ? 1 : 0;
        silent += stem.silent ? 1 : 0;
    }
    QString text = QStringLiteral("<b>%1</b> mode · ceiling %2 dBTP")
                       .arg(QString::fromLatin1(gain::gainModeName(request.mode)))
                       .arg(request.ceilingDbtp, 0, 'f', 1);
    if (plan.commonGainDb)
        text += QStringLiteral(" · one gain for all: <b>%1 dB</b>").arg(QString::asprintf("%+.2f", *plan.commonGainDb));
    if (limited > 0)
        text += QStringLiteral(" · <span style=\"color:%1\">%2 limited by the ceiling</span>")
                    .arg(theme::statusColour(theme::Status::Warning, palette()).name())
                    .arg(limited);
    if (silent > 0)
        text += QStringLiteral(" · %1 silent").arg(silent);
    if (m_measurements && !m_measurements->skipped.isEmpty())
        text += QStringLiteral(" · %1 unreadable, skipped").arg(m_measurements->skipped.size());
    m_summary->setText(text);
}

}  // namespace stemship::gui
