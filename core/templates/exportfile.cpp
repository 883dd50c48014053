#include "exportfile.h"

#include "io/atomicfile.h"

namespace stemship::templates {

Status writeFileAtomically(const QString &path, const QByteArray &data)
{
    // io::writeFileAtomically checks every write (QSaveFile's buffering hid a full disk).
    if (Status status = io::writeFileAtomically(path, data); !status)
        return Error{path, status.error().what, ErrorCode::Unwritable};
    return {};
}

}  // namespace stemship::templates
