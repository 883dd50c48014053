#include "widgets/levelbardelegate.h"

#include "theme.h"

#include <QApplication>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace stemship::gui {

LevelBarDelegate::LevelBarDelegate(int levelRole, QObject *parent) : QStyledItemDelegate(parent), m_role(levelRole) {}

void LevelBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QStyle *style = background.widget ? background.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, background.widget);
    const double db = index.data(m_role).toDouble();
    const QRectF track = QRectF(option.rect).adjusted(4, option.rect.height() / 2.0 - 4, -4, -(option.rect.height() / 2.0 - 4));
    painter->save();
    painter->fillRect(track, theme::meterWell(option.palette));
    if (std::isfinite(db)) {
        const double fraction = std::clamp((db + 60.0) / 60.0, 0.0, 1.0);
        const QColor colour = db >= -6.0 ? theme::meterDanger() : db >= -18.0 ? theme::meterCaution() : theme::meterSafe();
        painter->fillRect(QRectF(track.left(), track.top(), track.width() * fraction, track.height()), colour);
    }
    painter->restore();
}

QSize LevelBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return QStyledItemDelegate::sizeHint(option, index).expandedTo(QSize(110, 0));
}

}  // namespace stemship::gui
