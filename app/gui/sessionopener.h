#pragma once

// File > Open as Session…: a received delivery zip extracted into a folder with DAW session files beside its
// WAVs, by core's openAsSession on a worker thread, with progress and Cancel.

class QString;
class QWidget;

namespace stemship::gui {

// Asks for the zip, then for the folder to put "<zip name>" in; runs the job; reports the outcome.
void openDeliveryAsSession(QWidget *parent);

// The job itself for a chosen zip and folder: progress with Cancel, then a box saying what was written.
void runOpenAsSession(QWidget *parent, const QString &zipPath, const QString &dir);

}  // namespace stemship::gui
