#pragma once

// A small generated session for the GUI tests: stems named after the demo template's tracks, written into a
// QTemporaryDir with tests/support/testsignals.h. Header-only so every tst_*.cpp can include it.

#include "testsignals.h"
#include "theme.h"

#include <QApplication>
#include <QDir>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTemporaryDir>

#include <sndfile.h>

namespace stemship::test {

struct GuiSession {
    QTemporaryDir dir;
    QStringList files;
    // Peaks as written (dBFS), by file name.
    QHash<QString, double> peaksDbfs;

    bool write()
    {
        if (!dir.isValid())
            return false;
        struct Stem {
            const char *name;
            int channels;
            double peakDbfs;
            std::uint32_t seed;
        };
        const Stem stems[] = {{"Kick In", 1, -6.0, 11}, {"Bass DI", 1, -10.0, 12}, {"Keys", 2, -12.0, 13},
                              {"Lead Vocal", 1, -8.0, 14}};
        const WriteOptions pcm24 = wavPcm24();
        for (const Stem &stem : stems) {
            const QString path = dir.filePath(QString::fromLatin1(stem.name) + QStringLiteral(".wav"));
            if (!writeAudio(path, programme(48000, stem.channels, 4.0, stem.seed, stem.peakDbfs), pcm24))
                return false;
            files.append(path);
            peaksDbfs.insert(QString::fromLatin1(stem.name) + QStringLiteral(".wav"), stem.peakDbfs);
        }
        return true;
    }
};

// Same look everywhere: Fusion, test-mode settings, resources loaded.
inline void setUpGuiTest()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    gui::theme::initResources();
}

}  // namespace stemship::test
