#pragma once

// Where installed data (templates/, resources/) lives; CLI-CONTRACT "Installed data".

#include <QString>

namespace stemship {

// The directory holding templates/ and resources/: $STEMSHIP_DATA_DIR if set, else <bin>/../share/stemship
// when it exists, else the source tree (STEMSHIP_SOURCE_DATA_DIR). Never ends with a slash.
QString stemshipDataDir();

// stemshipDataDir() + "/templates".
QString stemshipTemplatesDir();

}  // namespace stemship
