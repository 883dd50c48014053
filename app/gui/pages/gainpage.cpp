#include "pages/gainpage.h"

#include "models/gainplanmodel.h"
#include "pages/pagehelpers.h"
#include "session.h"
#include "theme.h"
#include "widgets/banner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace stemship::gui {

GainPage::GainPage(Session *session, QWidget *parent) : QWidget(parent), m_session(session), m_model(new GainPlanModel(this))
{
    setAccessibleName(QStringLiteral("Gain page"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kPageMargin, kPageMargin, kPageMargin, kPageMargin);
    layout->setSpacing(kSpacing);
    layout->addWidget(makePageHeader(QStringLiteral("Gain"),
                                     QStringLiteral("How the delivered stems are levelled. Gains are plain gain: the "
                                                    "ceiling lowers a gain, it never limits or compresses."),
                                     this));
    m_banner = new Banner(this);
    layout->addWidget(m_banner);

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

    m_target = new QDoubleSpinBox(panel);
    m_target->setAccessibleName(QStringLiteral("Target level"));
    m_target->setRange(-60.0, 0.0);
    m_target->setDecimals(1);
    m_target->setSingleStep(0.5);
    m_target->setValue(-18.0);
    m_target->setFont(theme::monospaceFont());
    m_targetUnit = new QLabel(QStringLiteral("dBFS"), panel);
    m_useTemplateTarget = new QCheckBox(QStringLiteral("Template's targets"), panel);
    m_useTemplateTarget->setAccessibleName(QStringLiteral("Use the template's targets"));
    m_useTemplateTarget->setToolTip(QStringLiteral("Each matched track's own target from the template; otherwise the template's default"));
    m_useTemplateTarget->setChecked(true);
    auto *targetBox = new QWidget(panel);
    auto *targetRow = new QHBoxLayout(targetBox);
    targetRow->setContentsMargins(0, 0, 0, 0);
    targetRow->addWidget(m_target);
    targetRow->addWidget(m_targetUnit);
    addField(QStringLiteral("Target"), targetBox, m_useTemplateTarget);

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
    layout->addWidget(panel);

    auto *summaryRow = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setAccessibleName(QStringLiteral("Gain plan summary"));
    m_toAudit = new QPushButton(QStringLiteral("Go to Audit"), this);
    m_toAudit->setAccessibleName(QStringLiteral("Go to the audit page"));
    summaryRow->addWidget(m_summary, 1);
    summaryRow->addWidget(m_toAudit);
    layout->addLayout(summaryRow);

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
    auto *footnote = new QLabel(QStringLiteral("Preview from the audit's measurements at the source rate. The packager "
                                               "measures again after resampling, so figures may differ by a few hundredths of a dB."),
                                this);
    footnote->setObjectName(QStringLiteral("pageSubtitle"));
    footnote->setWordWrap(true);
    layout->addWidget(footnote);

    for (QComboBox *combo : {m_mode, m_measure})
        connect(combo, &QComboBox::currentIndexChanged, this, &GainPage::pushSettings);
    for (QDoubleSpinBox *spin : {m_target, m_ceiling})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &GainPage::pushSettings);
    connect(m_useTemplateTarget, &QCheckBox::toggled, this, &GainPage::pushSettings);
    connect(m_toAudit, &QPushButton::clicked, this, &GainPage::auditRequested);
    connect(session, &Session::reportChanged, this, &GainPage::replan);
    connect(session, &Session::gainSettingsChanged, this, [this] {
        pullSettings();
        replan();
    });
    connect(session, &Session::templateChanged, this, [this] {
        if (const auto &tmpl = m_session->sessionTemplate()) {
            m_updating = true;
            m_ceiling->setValue(tmpl->truePeakCeilingDbtp);
            m_updating = false;
            pushSettings();
        }
        replan();
    });
    pullSettings();
    replan();
}

void GainPage::pushSettings()
{
    if (m_updating)
        return;
    GainSettings settings;
    settings.mode = gain::GainMode(m_mode->currentData().toInt());
    settings.measure = gain::Measure(m_measure->currentData().toInt());
    settings.ceilingDbtp = m_ceiling->value();
    if (!m_useTemplateTarget->isChecked() || !m_session->sessionTemplate())
        settings.targetDb = m_target->value();
    m_session->setGainSettings(settings);
}

void GainPage::pullSettings()
{
    m_updating = true;
    const GainSettings &settings = m_session->gainSettings();
    m_mode->setCurrentIndex(m_mode->findData(int(settings.mode)));
    m_measure->setCurrentIndex(m_measure->findData(int(settings.measure)));
    m_ceiling->setValue(settings.ceilingDbtp);
    if (settings.targetDb)
        m_target->setValue(*settings.targetDb);
    const bool haveTemplate = m_session->sessionTemplate().has_value();
    m_useTemplateTarget->setEnabled(haveTemplate && settings.mode != gain::GainMode::None);
    if (!haveTemplate)
        m_useTemplateTarget->setChecked(false);
    const bool targetApplies = settings.mode != gain::GainMode::None;
    m_target->setEnabled(targetApplies && !(haveTemplate && m_useTemplateTarget->isChecked()));
    if (!settings.targetDb)
        m_target->setValue(m_session->effectiveTargetDb());
    m_measure->setEnabled(settings.mode == gain::GainMode::Balanced);
    const gain::Measure measure = delivery::targetMeasure(settings.mode, settings.measure);
    m_targetUnit->setText(measure == gain::Measure::Lufs ? QStringLiteral("LUFS") : QStringLiteral("dBFS"));
    m_updating = false;
}

void GainPage::replan()
{
    const auto &report = m_session->report();
    m_model->plan(report ? &*report : nullptr, m_session->gainSettings(), m_session->sessionTemplate());
    m_toAudit->setVisible(!report);
    if (!report) {
        m_summary->setText(QStringLiteral("The plan needs the audit's measurements: open stems and run the audit."));
        return;
    }
    const gain::GainPlan &plan = m_model->gainPlan();
    int limited = 0;
    int silent = 0;
    for (const gain::StemGain &stem : plan.stems) {
        limited += stem.limitedByCeiling ? 1 : 0;
        silent += stem.silent ? 1 : 0;
    }
    QString text = QStringLiteral("<b>%1</b> mode \u00b7 ceiling %2 dBTP")
                       .arg(QString::fromLatin1(gain::gainModeName(m_session->gainSettings().mode)))
                       .arg(m_session->gainSettings().ceilingDbtp, 0, 'f', 1);
    if (plan.commonGainDb)
        text += QStringLiteral(" \u00b7 one gain for all: <b>%1 dB</b>").arg(QString::asprintf("%+.2f", *plan.commonGainDb));
    if (limited > 0)
        text += QStringLiteral(" \u00b7 <span style=\"color:%1\">%2 limited by the ceiling</span>")
                    .arg(theme::statusColour(theme::Status::Warning, palette()).name())
                    .arg(limited);
    if (silent > 0)
        text += QStringLiteral(" \u00b7 %1 silent").arg(silent);
    m_summary->setText(text);
}

}  // namespace stemship::gui
