#pragma once

// A template's routing as a tree: the mix bus holds group buses, which hold their tracks; aux returns
// come last and list the sends that feed them. Built from core's mixerTree(), the same tree the DAW exports use.

#include "templates/sessiontemplate.h"

#include <QStandardItemModel>

namespace stemship::gui {

class RoutingModel : public QStandardItemModel {
    Q_OBJECT

public:
    enum Column { Name, Kind, Detail, ColumnCount };
    explicit RoutingModel(QObject *parent = nullptr);
    void setTemplate(const templates::SessionTemplate &tmpl);
};

}  // namespace stemship::gui
