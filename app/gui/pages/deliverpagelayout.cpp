// The Deliver page's widgets and their layout; what they do is in deliverpage.cpp.

#include "pages/deliverpage.h"

#include "jobs.h"
#include "pages/pagehelpers.h"
#include "session.h"
#include "theme.h"
#include "widgets/profilepicker.h"
#include "widgets/waveformview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace stemship::gui {

QWidget *DeliverPage::buildFormPanel()
{
    auto *panel = makePanel(this);
    auto *grid = new QGridLayout(panel);
    grid->setContentsMargins(16, 14, 16, 14);
    grid->setHorizontalSpacing(16);
    grid->setVerticalSpacing(8);
    const auto label = [panel](const QString &text) { return makeSectionLabel(text, panel); };

    QWidget *signature = buildTimingFields(panel);
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
    QWidget *outputBox = buildOutputField(panel);
    QWidget *gainBox = buildGainField(panel);

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
    m_profilePicker = new ProfilePicker(m_session, false, formatBox);
    formatRow->addWidget(m_profilePicker);
    formatRow->addStretch();
    grid->addWidget(formatBox, 3, 0);
    grid->addWidget(label(QStringLiteral("Output")), 2, 1, 1, 2);
    grid->addWidget(outputBox, 3, 1, 1, 2);
    grid->addWidget(label(QStringLiteral("Gain")), 2, 3, 1, 2);
    grid->addWidget(gainBox, 3, 3, 1, 2);
    addSessionAndReferenceRows(panel, grid);
    for (int column = 0; column < 5; ++column)
        grid->setColumnStretch(column, 1);
    return panel;
}

// Title, version, tempo, time signature and bar one; returns the time signature's row.
QWidget *DeliverPage::buildTimingFields(QWidget *panel)
{
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
    m_numerator = new QSpinBox(panel);
    m_numerator->setAccessibleName(QStringLiteral("Beats per bar"));
    m_numerator->setRange(1, 32);
    m_numerator->setValue(4);
    m_denominator = new QComboBox(panel);
    m_denominator->setAccessibleName(QStringLiteral("Beat unit"));
    for (int unit : {2, 4, 8, 16})
        m_denominator->addItem(QString::number(unit), unit);
    m_denominator->setCurrentIndex(1);
    auto *signature = new QWidget(panel);
    auto *signatureRow = new QHBoxLayout(signature);
    signatureRow->setContentsMargins(0, 0, 0, 0);
    signatureRow->addWidget(m_numerator);
    signatureRow->addWidget(new QLabel(QStringLiteral("/"), signature));
    signatureRow->addWidget(m_denominator);
    signatureRow->addStretch();
    m_barOne = new QDoubleSpinBox(panel);
    m_barOne->setAccessibleName(QStringLiteral("Bar one position in seconds"));
    m_barOne->setRange(0.0, 36000.0);
    m_barOne->setDecimals(3);
    m_barOne->setSingleStep(0.01);
    m_barOne->setSuffix(QStringLiteral(" s"));
    m_barOne->setFont(theme::monospaceFont());
    return signature;
}

QWidget *DeliverPage::buildOutputField(QWidget *panel)
{
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
    connect(browse, &QPushButton::clicked, this, &DeliverPage::chooseOutput);
    return outputBox;
}

QWidget *DeliverPage::buildGainField(QWidget *panel)
{
    m_gainSummary = new QLabel(panel);
    m_gainSummary->setAccessibleName(QStringLiteral("Gain settings"));
    auto *changeGain = new QPushButton(QStringLiteral("Change\u2026"), panel);
    changeGain->setAccessibleName(QStringLiteral("Change the gain settings"));
    auto *gainBox = new QWidget(panel);
    auto *gainRow = new QHBoxLayout(gainBox);
    gainRow->setContentsMargins(0, 0, 0, 0);
    gainRow->addWidget(m_gainSummary, 1);
    gainRow->addWidget(changeGain);
    connect(changeGain, &QPushButton::clicked, this, &DeliverPage::gainPageRequested);
    return gainBox;
}

void DeliverPage::addSessionAndReferenceRows(QWidget *panel, QGridLayout *grid)
{
    const auto label = [panel](const QString &text) { return makeSectionLabel(text, panel); };
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
}

void DeliverPage::buildWaveform(QVBoxLayout *layout)
{
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
}

QLayout *DeliverPage::buildActions()
{
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
    return actions;
}

QWidget *DeliverPage::buildResultPanel()
{
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
    return resultPanel;
}

}  // namespace stemship::gui
