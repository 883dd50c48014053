#pragma once

// Item delegates for the template table: a colour swatch with a picker, and a combo box of the model's options.

#include <QStyledItemDelegate>

namespace stemship::gui {

// Paints "#RRGGBB" as a swatch with its hex; edits with a palette of studio colours plus "Other…" (QColorDialog).
class ColourDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static QStringList presetColours();

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
};

// A QComboBox editor whose items come from the index's optionsRole (a QStringList).
class ComboDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    ComboDelegate(int optionsRole, QObject *parent = nullptr);
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

private:
    int m_optionsRole;
};

}  // namespace stemship::gui
