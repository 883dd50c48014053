#pragma once

// Picks the session's delivery profile: none, a bundled one, or a file; and, where the page offers it, the
// stems' sum. Several pages show one each; all of them follow the Session.

#include <QWidget>

class QCheckBox;
class QComboBox;

namespace stemship::gui {

class Session;

class ProfilePicker : public QWidget {
    Q_OBJECT

public:
    ProfilePicker(Session *session, bool offerSum, QWidget *parent = nullptr);

    QComboBox *combo() const { return m_combo; }
    QCheckBox *sumBox() const { return m_sum; }
    // Loads NAME|FILE into the session; returns the problem lines (empty when it loaded).
    QStringList choose(const QString &nameOrFile);

Q_SIGNALS:
    void problem(const QString &text);  // a profile that did not load, one line per problem

private:
    void syncFromSession();
    void onActivated(int index);

    Session *m_session;
    QComboBox *m_combo;
    QCheckBox *m_sum = nullptr;
    bool m_syncing = false;
};

}  // namespace stemship::gui
