#pragma once

// Small building blocks every page shares: a title block, section labels, panels.

#include <QString>

class QFrame;
class QLabel;
class QLayout;
class QTableView;
class QWidget;

namespace stemship::gui {

QWidget *makePageHeader(const QString &title, const QString &subtitle, QWidget *parent);
QLabel *makeSectionLabel(const QString &text, QWidget *parent);
QFrame *makePanel(QWidget *parent);  // a rounded, bordered surface (styled as #panel)
void setupTable(QTableView *view);   // consistent row height, selection, header behaviour

inline constexpr int kPageMargin = 20;
inline constexpr int kSpacing = 12;

}  // namespace stemship::gui
