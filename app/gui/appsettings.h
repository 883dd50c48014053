#pragma once

// The one place the GUI reads and writes QSettings: typed accessors, one key name each.

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace stemship::gui {

class AppSettings {
public:
    AppSettings();

    static constexpr int kMaxRecentSessions = 10;
    QStringList recentSessions() const;
    void addRecentSession(const QString &path);  // most recent first, no duplicates
    void clearRecentSessions();

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    QString lastDirectory() const;
    void setLastDirectory(const QString &directory);
    QString templateName() const;
    void setTemplateName(const QString &name);
    QString deliveryDirectory() const;
    void setDeliveryDirectory(const QString &directory);
    int lastPage() const;
    void setLastPage(int page);

private:
    QSettings m_settings;
};

}  // namespace stemship::gui
