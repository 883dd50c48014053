#pragma once

// An inline message strip at the top of a page: what went wrong (naming the file), dismissable.

#include "theme.h"

#include <QFrame>

class QLabel;
class QToolButton;

namespace stemship::gui {

class Banner : public QFrame {
    Q_OBJECT

public:
    explicit Banner(QWidget *parent = nullptr);

    void showMessage(theme::Status status, const QString &text);
    void showMessages(theme::Status status, const QStringList &lines);  // first lines, then "and N more"
    void clear();
    QString text() const;
    theme::Status status() const { return m_status; }

Q_SIGNALS:
    void shownChanged(bool shown);

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
    theme::Status m_status = theme::Status::Info;
};

}  // namespace stemship::gui
