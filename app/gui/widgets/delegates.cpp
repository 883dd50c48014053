#include "widgets/delegates.h"

#include "theme.h"

#include <QApplication>
#include <QColorDialog>
#include <QComboBox>
#include <QEvent>
#include <QPainter>
#include <QPen>

namespace stemship::gui {

namespace {

// The template table's swatch: 14 px with a faint outline, so pale colours keep an edge.
QIcon swatchIcon(const QColor &colour)
{
    return theme::swatchIcon(colour, 14, QPen(QColor(0, 0, 0, 90), 1));
}

const QString kOther = QStringLiteral("Other\u2026");

}  // namespace

QStringList ColourDelegate::presetColours()
{
    // Track colours that read on dark and light DAW backgrounds alike.
    return {QStringLiteral("#E5533D"), QStringLiteral("#F28C28"), QStringLiteral("#E8C547"), QStringLiteral("#9BC53D"),
            QStringLiteral("#2FBF71"), QStringLiteral("#1FB5A8"), QStringLiteral("#3BA3E0"), QStringLiteral("#4A6FE3"),
            QStringLiteral("#8E5BD8"), QStringLiteral("#D45BB5"), QStringLiteral("#A0785A"), QStringLiteral("#8A929C")};
}

void ColourDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = index.data(Qt::DisplayRole).toString();
    const QColor colour = QColor::fromString(text);
    if (colour.isValid())
        opt.icon = swatchIcon(colour);
    opt.features |= QStyleOptionViewItem::HasDecoration;
    opt.decorationSize = QSize(14, 14);
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
}

QWidget *ColourDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    combo->setAccessibleName(QStringLiteral("Track colour"));
    combo->addItem(QStringLiteral("Group colour"), QString());
    for (const QString &colour : presetColours())
        combo->addItem(swatchIcon(QColor::fromString(colour)), colour, colour);
    combo->addItem(kOther, kOther);
    connect(combo, &QComboBox::activated, combo, [combo](int i) {
        if (combo->itemData(i).toString() != kOther)
            return;
        const QColor picked = QColorDialog::getColor(Qt::white, combo, QStringLiteral("Track colour"));
        if (!picked.isValid())
            return;
        const QString hex = picked.name().toUpper();
        combo->insertItem(combo->count() - 1, swatchIcon(picked), hex, hex);
        combo->setCurrentIndex(combo->count() - 2);
    });
    return combo;
}

void ColourDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    const QString colour = index.data(Qt::EditRole).toString().toUpper();
    int found = combo->findData(colour);
    if (found < 0 && !colour.isEmpty()) {
        combo->insertItem(1, swatchIcon(QColor::fromString(colour)), colour, colour);
        found = 1;
    }
    combo->setCurrentIndex(std::max(0, found));
}

void ColourDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    const QString value = combo->currentData().toString();
    if (value != kOther)
        model->setData(index, value, Qt::EditRole);
}

ComboDelegate::ComboDelegate(int optionsRole, QObject *parent) : QStyledItemDelegate(parent), m_optionsRole(optionsRole) {}

QWidget *ComboDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &index) const
{
    auto *combo = new QComboBox(parent);
    for (const QString &option : index.data(m_optionsRole).toStringList())
        combo->addItem(option.isEmpty() ? QStringLiteral("(inherit)") : option, option);
    return combo;
}

void ComboDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    combo->setCurrentIndex(std::max(0, combo->findData(index.data(Qt::EditRole).toString())));
}

void ComboDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    model->setData(index, combo->currentData().toString(), Qt::EditRole);
}

ToggleButtonDelegate::ToggleButtonDelegate(const QString &letter, const QColor &litColour, QObject *parent)
    : QStyledItemDelegate(parent), m_letter(letter), m_lit(litColour)
{
}

void ToggleButtonDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.features &= ~QStyleOptionViewItem::HasCheckIndicator;
    background.text.clear();
    QStyle *style = background.widget ? background.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, background.widget);

    const bool on = index.data(Qt::CheckStateRole).value<Qt::CheckState>() == Qt::Checked;
    const QRectF button = QRectF(0, 0, 22, 18).translated(QRectF(option.rect).center() - QPointF(11, 9));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor text = option.palette.color(QPalette::Text);
    if (on) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_lit);
    } else {
        QColor border = text;
        border.setAlpha(90);
        painter->setPen(QPen(border, 1.0));
        painter->setBrush(Qt::NoBrush);
    }
    painter->drawRoundedRect(button.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    QFont font = option.font;
    font.setBold(true);
    painter->setFont(font);
    QColor letter = on ? QColor(0x15, 0x17, 0x1a) : text;
    if (!on)
        letter.setAlpha(150);
    painter->setPen(letter);
    painter->drawText(button, Qt::AlignCenter, m_letter);
    painter->restore();
}

QSize ToggleButtonDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return QStyledItemDelegate::sizeHint(option, index).expandedTo(QSize(30, 22));
}

bool ToggleButtonDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &,
                                       const QModelIndex &index)
{
    if (event->type() != QEvent::MouseButtonRelease || !(index.flags() & Qt::ItemIsUserCheckable))
        return false;
    const bool on = index.data(Qt::CheckStateRole).value<Qt::CheckState>() == Qt::Checked;
    return model->setData(index, on ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
}

}  // namespace stemship::gui
