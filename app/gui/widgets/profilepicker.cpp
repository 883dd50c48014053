#include "widgets/profilepicker.h"

#include "profiles/profilestore.h"
#include "session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>

namespace stemship::gui {
namespace {
constexpr int kFileRole = Qt::UserRole + 1;  // the profile's path, for a file loaded from disk
}

ProfilePicker::ProfilePicker(Session *session, bool offerSum, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    auto *label = new QLabel(QStringLiteral("Profile"), this);
    m_combo = new QComboBox(this);
    m_combo->setAccessibleName(QStringLiteral("Delivery profile"));
    m_combo->setToolTip(QStringLiteral("Judge every stem against a delivery spec: loudness, true peak, format"));
    label->setBuddy(m_combo);
    m_combo->addItem(QStringLiteral("None"));
    for (const profiles::ProfileInfo &info : profiles::bundledProfiles()) {
        m_combo->addItem(info.name, info.name);
        m_combo->setItemData(m_combo->count() - 1, QString(info.title + QLatin1Char('\n') + info.description), Qt::ToolTipRole);
    }
    m_combo->addItem(QStringLiteral("Load file\u2026"));
    layout->addWidget(label);
    layout->addWidget(m_combo);
    if (offerSum) {
        m_sum = new QCheckBox(QStringLiteral("Sum"), this);
        m_sum->setAccessibleName(QStringLiteral("Measure the stems' sum"));
        m_sum->setToolTip(QStringLiteral("Also measure the stems summed on their timeline as one programme; with a "
                                         "profile, its loudness rules judge the sum"));
        layout->addWidget(m_sum);
        connect(m_sum, &QCheckBox::toggled, this, [this](bool on) {
            if (!m_syncing)
                m_session->setSumEnabled(on);
        });
    }
    connect(m_combo, &QComboBox::activated, this, &ProfilePicker::onActivated);
    connect(session, &Session::profileChanged, this, &ProfilePicker::syncFromSession);
    syncFromSession();
}

QStringList ProfilePicker::choose(const QString &nameOrFile)
{
    Result<profiles::DeliveryProfile> loaded = profiles::loadProfile(nameOrFile);
    if (!loaded) {
        const QStringList lines = loaded.error().code == ErrorCode::InvalidProfile
                                      ? profiles::profileProblemLines(nameOrFile) : QStringList{loaded.error().line()};
        Q_EMIT problem(lines.join(QLatin1Char('\n')));
        syncFromSession();
        return lines;
    }
    if (profiles::bundledProfilePath(nameOrFile).isEmpty() && m_combo->findData(nameOrFile, kFileRole) < 0) {
        m_combo->insertItem(m_combo->count() - 1, loaded->name + QStringLiteral(" (file)"), loaded->name);
        m_combo->setItemData(m_combo->count() - 2, nameOrFile, kFileRole);
        m_combo->setItemData(m_combo->count() - 2, nameOrFile, Qt::ToolTipRole);
    }
    m_session->setProfile(std::move(*loaded));
    return {};
}

void ProfilePicker::onActivated(int index)
{
    if (index == 0) {
        m_session->setProfile(std::nullopt);
    } else if (index == m_combo->count() - 1) {
        const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Load Delivery Profile"), QString(),
                                                          QStringLiteral("Stemship profile (*.json)"));
        if (path.isEmpty())
            syncFromSession();
        else
            choose(path);
    } else {
        const QString file = m_combo->itemData(index, kFileRole).toString();
        choose(file.isEmpty() ? m_combo->itemData(index).toString() : file);
    }
}

void ProfilePicker::syncFromSession()
{
    m_syncing = true;
    const auto &profile = m_session->profile();
    int index = 0;
    if (profile)
        for (int i = 1; i < m_combo->count() - 1; ++i)
            if (m_combo->itemData(i).toString() == profile->name)
                index = i;
    m_combo->setCurrentIndex(index);
    if (m_sum)
        m_sum->setChecked(m_session->sumEnabled());
    m_syncing = false;
}

}  // namespace stemship::gui
