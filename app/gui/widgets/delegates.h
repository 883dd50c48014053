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

// Solo and mute as the small lit buttons of a mixer strip, toggled with a click; the model keeps the state
// in Qt::CheckStateRole.
class ToggleButtonDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    ToggleButtonDelegate(const QString &letter, const QColor &litColour, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

private:
    QString m_letter;
    QColor m_lit;
};

}  // namespace stemship::gui
