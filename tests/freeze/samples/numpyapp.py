import numpy as np

a = np.arange(12, dtype=np.float64).reshape(3, 4)
print("sum", int(a.sum()))
print("det", round(float(np.linalg.det(np.array([[2.0, 1.0], [1.0, 3.0]]))), 6))
print("matmul", (a @ a.T).astype(int).tolist()[0])
