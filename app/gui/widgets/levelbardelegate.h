#pragma once

// Paints a small horizontal peak bar (-60..0 dBFS) from an index's dB value, for per-stem levels in tables.

#include <QStyledItemDelegate>

namespace stemship::gui {

class LevelBarDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    LevelBarDelegate(int levelRole, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_role;
};

}  // namespace stemship::gui
