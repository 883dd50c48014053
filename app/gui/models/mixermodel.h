#pragma once

// The Listen page's stems: name, live level, solo, mute, format. Solo and mute are check states that go
// straight to the PlaybackEngine.

#include <QAbstractTableModel>

#include <vector>

namespace stemship::gui {

class PlaybackEngine;

class MixerModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Stem, Level, Solo, Mute, Format, Note, ColumnCount };
    static constexpr int LevelDbRole = Qt::UserRole + 1;

    explicit MixerModel(PlaybackEngine *engine, QObject *parent = nullptr);

    void reload();                      // after the engine's stems changed
    void refreshLevels();               // takes each stem's peak from the engine (GUI timer)
    double levelDb(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    PlaybackEngine *m_engine;
    std::vector<double> m_levelsDb;  // display ballistics per stem
};

}  // namespace stemship::gui
