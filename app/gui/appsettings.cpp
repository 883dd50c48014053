#include "appsettings.h"

#include <QDir>

namespace stemship::gui {

namespace {
const QString kRecent = QStringLiteral("session/recent");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kLastDirectory = QStringLiteral("session/lastDirectory");
const QString kTemplate = QStringLiteral("session/template");
const QString kDeliveryDirectory = QStringLiteral("deliver/directory");
const QString kLastPage = QStringLiteral("window/page");
}  // namespace

AppSettings::AppSettings() : m_settings(QSettings::UserScope, QStringLiteral("Stemship"), QStringLiteral("stemship-gui")) {}

QStringList AppSettings::recentSessions() const
{
    return m_settings.value(kRecent).toStringList();
}

void AppSettings::addRecentSession(const QString &path)
{
    QStringList recent = recentSessions();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentSessions)
        recent.removeLast();
    m_settings.setValue(kRecent, recent);
}

void AppSettings::clearRecentSessions()
{
    m_settings.remove(kRecent);
}

QByteArray AppSettings::windowGeometry() const { return m_settings.value(kGeometry).toByteArray(); }
void AppSettings::setWindowGeometry(const QByteArray &geometry) { m_settings.setValue(kGeometry, geometry); }
QByteArray AppSettings::windowState() const { return m_settings.value(kState).toByteArray(); }
void AppSettings::setWindowState(const QByteArray &state) { m_settings.setValue(kState, state); }

QString AppSettings::lastDirectory() const { return m_settings.value(kLastDirectory, QDir::homePath()).toString(); }
void AppSettings::setLastDirectory(const QString &directory) { m_settings.setValue(kLastDirectory, directory); }
QString AppSettings::templateName() const { return m_settings.value(kTemplate).toString(); }
void AppSettings::setTemplateName(const QString &name) { m_settings.setValue(kTemplate, name); }
QString AppSettings::deliveryDirectory() const { return m_settings.value(kDeliveryDirectory).toString(); }
void AppSettings::setDeliveryDirectory(const QString &directory) { m_settings.setValue(kDeliveryDirectory, directory); }
int AppSettings::lastPage() const { return m_settings.value(kLastPage, 0).toInt(); }
void AppSettings::setLastPage(int page) { m_settings.setValue(kLastPage, page); }

}  // namespace stemship::gui
