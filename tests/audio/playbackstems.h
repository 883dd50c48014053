// The Listen engine tests' stems (tests/audio), written once per test program.
#pragma once

#include "testsignals.h"

#include <QTemporaryDir>

namespace stemship::test {

// Two 3 s stems for the playback tests: a mono 1 kHz sine at -20 dBFS and a stereo programme peaking at -6 dBFS.
struct PlaybackStems {
    QTemporaryDir dir;
    QString sinePath;
    QString programmePath;

    bool write()
    {
        if (!dir.isValid())
            return false;
        sinePath = dir.filePath(QStringLiteral("sine.wav"));
        programmePath = dir.filePath(QStringLiteral("programme.wav"));
        return writeAudio(sinePath, sineDb(48000, 1, 1000.0, -20.0, 3.0))
            && writeAudio(programmePath, programme(48000, 2, 3.0, 7, -6.0));
    }
};

}  // namespace stemship::test
