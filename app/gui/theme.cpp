#include "theme.h"

#include <QAbstractButton>
#include <QFontDatabase>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

static void initStemshipResources()
{
    Q_INIT_RESOURCE(stemship);
}

namespace stemship::gui::theme {

void initResources()
{
    static const bool done = [] {
        initStemshipResources();
        return true;
    }();
    Q_UNUSED(done);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x23, 0x26, 0x2b);
    const QColor base(0x1a, 0x1c, 0x20);
    const QColor text(0xe4, 0xe6, 0xea);
    const QColor highlight(0x3d, 0x8e, 0xd8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x21, 0x24, 0x29));
    p.setColor(QPalette::ToolTipBase, QColor(0x30, 0x34, 0x3a));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x86, 0x8f));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2e, 0x32, 0x38));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x5e));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3f, 0x46));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x37, 0x3d));
    p.setColor(QPalette::Mid, QColor(0x2a, 0x2d, 0x33));
    p.setColor(QPalette::Dark, QColor(0x15, 0x17, 0x1a));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0d, 0x0f));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb2, 0xf0));
    p.setColor(QPalette::LinkVisited, QColor(0xa9, 0x8c, 0xe8));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x6e, 0x73, 0x7b));
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x4a, 0x52));
    return p;
}

QPalette lightPalette()
{
    QPalette p;
    const QColor window(0xf3, 0xf4, 0xf6);
    const QColor text(0x1e, 0x22, 0x28);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::AlternateBase, QColor(0xf6, 0xf7, 0xf9));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0xfa, 0xfa, 0xfb));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x7c, 0xc8));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x90, 0x99));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Light, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Midlight, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Mid, QColor(0xc4, 0xc8, 0xce));
    p.setColor(QPalette::Dark, QColor(0x9a, 0xa0, 0xa8));
    p.setColor(QPalette::Shadow, QColor(0x60, 0x64, 0x6a));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0xa0, 0xa5, 0xac));
    return p;
}

Status statusFor(audit::Severity severity)
{
    switch (severity) {
    case audit::Severity::Error:
        return Status::Error;
    case audit::Severity::Warning:
        return Status::Warning;
    case audit::Severity::Info:
        break;
    }
    return Status::Info;
}

QColor statusColour(Status status, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (status) {
    case Status::Ok:
        return dark ? QColor(0x4c, 0xc3, 0x82) : QColor(0x1f, 0x8a, 0x52);
    case Status::Info:
        return dark ? QColor(0x6c, 0xb2, 0xf0) : QColor(0x2a, 0x6f, 0xb3);
    case Status::Warning:
        return dark ? QColor(0xf0, 0xb6, 0x3a) : QColor(0xa8, 0x6a, 0x00);
    case Status::Error:
        return dark ? QColor(0xff, 0x6b, 0x5e) : QColor(0xc2, 0x32, 0x28);
    }
    return palette.color(QPalette::Text);
}

QIcon statusIcon(Status status)
{
    initResources();
    switch (status) {
    case Status::Ok:
        return QIcon(QStringLiteral(":/stemship/icons/status-ok.svg"));
    case Status::Info:
        return QIcon(QStringLiteral(":/stemship/icons/status-info.svg"));
    case Status::Warning:
        return QIcon(QStringLiteral(":/stemship/icons/status-warning.svg"));
    case Status::Error:
        return QIcon(QStringLiteral(":/stemship/icons/status-error.svg"));
    }
    return {};
}

QString statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return QStringLiteral("OK");
    case Status::Info:
        return QStringLiteral("Info");
    case Status::Warning:
        return QStringLiteral("Warning");
    case Status::Error:
        return QStringLiteral("Error");
    }
    return {};
}

namespace {

QPixmap renderTinted(QSvgRenderer &renderer, int size, qreal dpr, const QColor &colour)
{
    QPixmap pixmap(QSize(size, size) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    renderer.render(&painter, QRectF(0, 0, size, size));
    painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
    painter.fillRect(QRectF(0, 0, size, size), colour);
    return pixmap;
}

}  // namespace

QIcon tintedIcon(const QString &name, const QPalette &palette)
{
    initResources();
    QSvgRenderer renderer(QStringLiteral(":/stemship/icons/%1.svg").arg(name));
    QIcon icon;
    if (!renderer.isValid())
        return icon;
    for (int size : {16, 20, 24, 32}) {
        for (qreal dpr : {1.0, 2.0}) {
            icon.addPixmap(renderTinted(renderer, size, dpr, palette.color(QPalette::WindowText)), QIcon::Normal);
            icon.addPixmap(renderTinted(renderer, size, dpr, palette.color(QPalette::HighlightedText)), QIcon::Selected);
            icon.addPixmap(renderTinted(renderer, size, dpr, palette.color(QPalette::Disabled, QPalette::WindowText)),
                           QIcon::Disabled);
        }
    }
    return icon;
}

QIcon appIcon()
{
    initResources();
    return QIcon(QStringLiteral(":/stemship/icons/stemship.svg"));
}

QIcon swatchIcon(const QColor &colour, int sizePx, const QPen &border)
{
    QPixmap pixmap(sizePx, sizePx);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(border);
    painter.setBrush(colour);
    painter.drawRoundedRect(QRectF(0.5, 0.5, sizePx - 1, sizePx - 1), 3, 3);
    return QIcon(pixmap);
}

void setTintedIcon(QAbstractButton *button, const QString &name)
{
    button->setProperty("stemshipIcon", name);
    button->setIcon(tintedIcon(name, button->palette()));
}

void retintButtons(QWidget *root)
{
    for (QAbstractButton *button : root->findChildren<QAbstractButton *>()) {
        const QString name = button->property("stemshipIcon").toString();
        if (!name.isEmpty())
            button->setIcon(tintedIcon(name, root->palette()));
    }
}

QFont monospaceFont(int pointSizeDelta)
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setStyleHint(QFont::Monospace);
    if (pointSizeDelta != 0 && font.pointSize() > 0)
        font.setPointSize(font.pointSize() + pointSizeDelta);
    return font;
}

QFont headingFont(const QFont &base)
{
    QFont font = base;
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * 1.45);
    font.setWeight(QFont::DemiBold);
    return font;
}

QColor meterWell(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x11, 0x13, 0x16) : QColor(0x22, 0x26, 0x2c);
}

QColor meterSafe() { return QColor(0x3c, 0xc7, 0x7a); }
QColor meterCaution() { return QColor(0xf2, 0xc1, 0x3d); }
QColor meterDanger() { return QColor(0xff, 0x55, 0x44); }

QString styleSheet(const QPalette &palette)
{
    const bool dark = isDark(palette);
    const QColor window = palette.color(QPalette::Window);
    const QColor sidebar = dark ? window.darker(135) : window.darker(106);
    const QColor border = dark ? window.lighter(140) : window.darker(118);
    const QColor highlight = palette.color(QPalette::Highlight);
    const QColor muted = palette.color(QPalette::Disabled, QPalette::WindowText);
    const QColor panel = dark ? window.lighter(112) : palette.color(QPalette::Base);
    // QSS cannot derive colours, so the few derived ones are baked in here and rebuilt on palette change.
    return QStringLiteral(
               "#workflowSidebar { background: %1; border: none; border-right: 1px solid %2; padding: 8px 6px; outline: 0; }"
               "#workflowSidebar::item { padding: 9px 10px; margin: 1px 0; border-radius: 6px; }"
               "#workflowSidebar::item:selected { background: %3; color: %4; }"
               "#workflowSidebar::item:hover:!selected { background: %5; }"
               "#sidebarBrand { color: %6; padding: 12px 12px 4px 12px; font-weight: 600; letter-spacing: 1px; }"
               "#pageHeader { padding: 0; }"
               "#pageSubtitle { color: %6; }"
               "#panel { background: %7; border: 1px solid %2; border-radius: 8px; }"
               "#sectionLabel { color: %6; font-weight: 600; text-transform: uppercase; letter-spacing: 1px; }"
               "QTableView, QTreeView { border: 1px solid %2; border-radius: 6px; gridline-color: %2; }"
               "QHeaderView::section { padding: 4px 6px; border: none; border-bottom: 1px solid %2; "
               "  border-right: 1px solid %2; background: %1; font-weight: 600; }"
               "QProgressBar { border: 1px solid %2; border-radius: 4px; text-align: center; min-height: 14px; }"
               "QProgressBar::chunk { background: %3; border-radius: 3px; }")
        .arg(sidebar.name(), border.name(), highlight.name(), palette.color(QPalette::HighlightedText).name(),
             (dark ? sidebar.lighter(130) : sidebar.darker(106)).name(), muted.name(), panel.name());
}

}  // namespace stemship::gui::theme
