#pragma once

// The look: colours derived from the current palette (light or dark), status colours and icons, the
// monospace numerics font, and the few style-sheet rules the palette alone cannot express.

#include "templates/auditsettings.h"

#include <QColor>
#include <QFont>
#include <QIcon>
#include <QPalette>
#include <QPen>
#include <QString>

class QAbstractButton;
class QWidget;

namespace stemship::gui::theme {

enum class Status { Ok, Info, Warning, Error };

void initResources();  // the .qrc lives in a static library: pull it in explicitly

bool isDark(const QPalette &palette);
QPalette darkPalette();   // for --dark and the screenshot tests; the app otherwise follows the system
QPalette lightPalette();

Status statusFor(audit::Severity severity);
QColor statusColour(Status status, const QPalette &palette);
QIcon statusIcon(Status status);
QString statusName(Status status);

// A monochrome icon from resources/icons/<name>.svg, tinted to the palette (normal, selected, disabled).
QIcon tintedIcon(const QString &name, const QPalette &palette);
QIcon appIcon();
// A track or bus colour as a rounded square sizePx across, for item icons; border outlines it (none by default).
QIcon swatchIcon(const QColor &colour, int sizePx, const QPen &border = Qt::NoPen);
// Gives a button a tinted icon and remembers its name, so retintButtons() can follow a palette change.
void setTintedIcon(QAbstractButton *button, const QString &name);
void retintButtons(QWidget *root);

QFont monospaceFont(int pointSizeDelta = 0);
QFont headingFont(const QFont &base);

// Meter wells are dark in both themes, as on hardware meter bridges.
QColor meterWell(const QPalette &palette);
QColor meterSafe();
QColor meterCaution();
QColor meterDanger();

QString styleSheet(const QPalette &palette);

}  // namespace stemship::gui::theme
