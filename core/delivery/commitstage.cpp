#include "delivery/commitstage.h"

#include "io/atomicfile.h"

namespace stemship::delivery {

DeliveryTemps::DeliveryTemps(const QString &outputPath)
    : m_workDir(io::tempPathBeside(outputPath, QStringLiteral(".d"))), m_zip(io::tempPathBeside(outputPath))
{
}

DeliveryTemps::~DeliveryTemps()
{
    io::removePath(m_workDir);
    if (!m_committed)
        io::removePath(m_zip);
}

Status DeliveryTemps::commit(const QString &outputPath)
{
    Status s = io::commitRename(m_zip, outputPath);
    // A failed rename leaves the temporary for the destructor to remove.
    m_committed = s.ok();
    return s;
}

}  // namespace stemship::delivery
