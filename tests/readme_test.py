"""The README's Python snippets run as written, in order, in a fresh process."""

import os
import re
import textwrap

from model_checks import run_python

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme_snippets():
    with open(os.path.join(ROOT, "README.md")) as f:
        return re.findall(r"```python\n(.*?)```", f.read(), re.S)


def test_readme_snippets_run_and_agree(tmp_path):
    snippets = readme_snippets()
    assert len(snippets) >= 4, "the README lost its examples"
    # The checks below use the names the snippets define: the GAN and its
    # export, the VAE's NLL and codes, the flow's latents.
    checks = textwrap.dedent(
        """
        import numpy as np
        np.testing.assert_array_equal(
            np.asarray(gan.sample(16, seed=0)),
            np.asarray(served.sample(num_samples=tf.constant(16),
                                     seed=tf.constant([0, 0]))),
        )
        reloaded = keras.saving.load_model("ring.keras")
        np.testing.assert_array_equal(reloaded.sample(8, seed=3), gan.sample(8, seed=3))
        assert nll.shape == (447,) and 10 < float(np.mean(nll)) < 30, np.mean(nll)
        assert mean.shape == log_var.shape == (447, 8)
        np.testing.assert_allclose(flow.forward(z), x[:5], atol=1e-4)
        print("README OK")
        """
    )
    code = f"import os\nos.chdir({str(tmp_path)!r})\n" + "\n".join(snippets) + checks
    assert "README OK" in run_python(code, timeout=600)
