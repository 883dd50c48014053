#include "delivery/commitstage.h"

#include "io/atomicfile.h"
#include "util/faultpoint.h"

namespace stemship::delivery {

DeliveryTemps::DeliveryTemps(const QString &outputPath)
    : m_workDir(io::tempPathBeside(outputPath, QStringLiteral(".d"))), m_zip(io::tempPathBeside(outputPath)),
      m_workRegistration(m_workDir, true), m_zipRegistration(m_zip, false)
{
}

DeliveryTemps::~DeliveryTemps()
{
    faultPoint("cleanup");
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
